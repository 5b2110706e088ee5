-- A mail with a program attached is spam by its content (MimeAttribs): refused at the
-- end of the data with detective_spam_reply (global "reply").
dofile(dir .. "/common.lua")

local conn = open()
client(conn, "mx.example.com", "198.51.100.20")
envelope(conn, "<mallory@example.com>", "<bob@example.org>", "4QSPAM1")
content(conn, SPAM_FIELDS, SPAM_BODY)
ok(mt.eom(conn), "eom")
expect(conn, SMFIR_REPLYCODE, "end of a spam mail")
check(mt.eom_check(conn, MT_SMTPREPLY, "554", "5.7.1", reply), "the reply is not 554 5.7.1 " .. reply)
check(not mt.eom_check(conn, MT_HDRADD), "a refused mail got header fields added")
mt.disconnect(conn)
print("ok")
