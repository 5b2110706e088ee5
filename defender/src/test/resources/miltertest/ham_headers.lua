-- Good mail is accepted with the X-Decency result fields appended; the X-Decency field
-- the sender wrote himself is deleted first.
dofile(dir .. "/common.lua")

local conn = open()
client(conn, "mail.example.net", "198.51.100.7")
envelope(conn, "<alice@example.net>", "<bob@example.org>", "4QHAM1")
local fields = ham_fields("hello Bob")
table.insert(fields, {"X-Decency-Result", "GOOD (forged by the sender)"})
content(conn, fields, "Hi Bob,\r\nsee you.\r\n")
ok(mt.eom(conn), "eom")
expect(conn, SMFIR_ACCEPT, "end of a good mail")
for _, h in ipairs({"X-Decency-Result", "X-Decency-Score", "X-Decency-SpamInfo", "X-Decency-Details"}) do
	check(mt.eom_check(conn, MT_HDRADD, h), h .. " was not added")
end
local result = mt.getheader(conn, "X-Decency-Result", 0)
check(result ~= nil and result:match("^%s*GOOD$"), "X-Decency-Result is " .. tostring(result))
check(mt.eom_check(conn, MT_HDRDELETE, "X-Decency-Result"), "the forged X-Decency-Result was not deleted")
check(not mt.eom_check(conn, MT_QUARANTINE), "a good mail was quarantined")
mt.disconnect(conn)
print("ok")
