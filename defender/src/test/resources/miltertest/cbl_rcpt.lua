-- A client on the custom black list (CBL) is refused at RCPT TO with a reply code and
-- text; the Defender then serves a clean client on a new connection as usual.
dofile(dir .. "/common.lua")

local conn = open()
client(conn, "bad.example.com", "192.0.2.66")
ok(mt.mailfrom(conn, "<mallory@example.com>"), "mailfrom")
ok(mt.rcptto(conn, "<bob@example.org>"), "rcptto")
expect(conn, SMFIR_REPLYCODE, "RCPT TO from a CBL-listed client")
mt.disconnect(conn)

conn = open()
client(conn, "mail.example.net", "198.51.100.7")
envelope(conn, "<alice@example.net>", "<bob@example.org>", "4QCLEAN1")
content(conn, ham_fields("after the refusal"), "hello\r\n")
ok(mt.eom(conn), "eom")
expect(conn, SMFIR_ACCEPT, "a clean client's mail")
mt.disconnect(conn)
print("ok")
