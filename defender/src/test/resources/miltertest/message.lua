-- One mail through the Defender and what it must answer at the end of the data.
-- Globals: ip (the client), kind (ham or spam: the content), answer (accept, replycode,
-- discard, tempfail), and optionally smtp ("554|5.7.1|text"), added (field names, comma
-- separated), changed ("Name=value"), quarantine (the reason, or "any").
dofile(dir .. "/common.lua")

local codes = {accept = SMFIR_ACCEPT, replycode = SMFIR_REPLYCODE, discard = SMFIR_DISCARD, tempfail = SMFIR_TEMPFAIL}
local conn = open()
client(conn, "mail.example.net", ip)
envelope(conn, "<alice@example.net>", "<bob@example.org>", "4QMSG1")
if kind == "spam" then content(conn, SPAM_FIELDS, SPAM_BODY) else content(conn, ham_fields("hello"), "hello\r\n") end
ok(mt.eom(conn), "eom")
check(codes[answer] ~= nil, "answer= must be accept, replycode, discard or tempfail")
expect(conn, codes[answer], "end of the data")
if smtp ~= nil then
	local c, e, t = smtp:match("^(%d+)|([%d.]+)|(.*)$")
	check(mt.eom_check(conn, MT_SMTPREPLY, c, e, t), "the reply is not " .. c .. " " .. e .. " " .. t)
end
if added ~= nil then
	for h in added:gmatch("[^,]+") do check(mt.eom_check(conn, MT_HDRADD, h), h .. " was not added") end
end
if changed ~= nil then
	local n, v = changed:match("^([^=]+)=(.*)$")
	check(mt.eom_check(conn, MT_HDRCHANGE, n, v), n .. " was not changed to '" .. v .. "'")
end
if quarantine ~= nil then
	if quarantine == "any" then check(mt.eom_check(conn, MT_QUARANTINE), "not quarantined")
	else check(mt.eom_check(conn, MT_QUARANTINE, quarantine), "not quarantined with reason " .. quarantine) end
else
	check(not mt.eom_check(conn, MT_QUARANTINE), "quarantined")
end
mt.disconnect(conn)
print("ok")
