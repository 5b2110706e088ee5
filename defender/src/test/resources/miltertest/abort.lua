-- A mail aborted in the middle of its body (RSET), then a new mail on the same
-- connection: the new one is decided on its own content.
dofile(dir .. "/common.lua")

local conn = open()
client(conn, "mail.example.net", "198.51.100.7")
envelope(conn, "<mallory@example.com>", "<bob@example.org>", "4QABORT1")
for _, f in ipairs(SPAM_FIELDS) do ok(mt.header(conn, f[1], f[2]), "header") end
ok(mt.eoh(conn), "eoh")
ok(mt.bodystring(conn, SPAM_BODY:sub(1, 60)), "half a body")
expect(conn, SMFIR_CONTINUE, "half a body")
ok(mt.abort(conn), "abort")

envelope(conn, "<alice@example.net>", "<bob@example.org>", "4QABORT2")
content(conn, ham_fields("after the abort"), "fresh\r\n")
ok(mt.eom(conn), "eom")
expect(conn, SMFIR_ACCEPT, "the mail after the abort")
mt.disconnect(conn)
print("ok")
