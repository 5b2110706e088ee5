-- The MTA goes away in the middle of a body (no QUIT, the socket just closes); the
-- Defender drops that mail and serves the next connection.
dofile(dir .. "/common.lua")

local conn = open()
client(conn, "mail.example.net", "198.51.100.7")
envelope(conn, "<alice@example.net>", "<bob@example.org>", "4QGONE1")
for _, f in ipairs(ham_fields("never finished")) do ok(mt.header(conn, f[1], f[2]), "header") end
ok(mt.eoh(conn), "eoh")
ok(mt.bodystring(conn, "the first part of a body that never ends\r\n"), "body")
expect(conn, SMFIR_CONTINUE, "body")
mt.disconnect(conn, false)

conn = open()
client(conn, "mail.example.net", "198.51.100.7")
envelope(conn, "<alice@example.net>", "<bob@example.org>", "4QGONE2")
content(conn, ham_fields("next connection"), "still here\r\n")
ok(mt.eom(conn), "eom")
expect(conn, SMFIR_ACCEPT, "the mail on the next connection")
mt.disconnect(conn)
print("ok")
