-- Three mails on one connection: good, spam, good. Each is decided on its own.
dofile(dir .. "/common.lua")

local conn = open()
client(conn, "mail.example.net", "198.51.100.7")

envelope(conn, "<alice@example.net>", "<bob@example.org>", "4QMULTI1")
content(conn, ham_fields("first"), "one\r\n")
ok(mt.eom(conn), "eom 1")
expect(conn, SMFIR_ACCEPT, "mail 1 (good)")
check(mt.eom_check(conn, MT_HDRADD, "X-Decency-Result"), "mail 1 has no X-Decency-Result")

envelope(conn, "<alice@example.net>", "<carol@example.org>", "4QMULTI2")
content(conn, SPAM_FIELDS, SPAM_BODY)
ok(mt.eom(conn), "eom 2")
expect(conn, SMFIR_REPLYCODE, "mail 2 (spam)")

envelope(conn, "<alice@example.net>", "<dave@example.org>", "4QMULTI3")
content(conn, ham_fields("third"), "three\r\n")
ok(mt.eom(conn), "eom 3")
expect(conn, SMFIR_ACCEPT, "mail 3 (good, after a spam on the same connection)")

mt.disconnect(conn)
print("ok")
