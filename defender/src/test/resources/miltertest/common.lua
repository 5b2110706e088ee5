-- Shared by the Defender's miltertest scripts (dofile(dir .. "/common.lua")).
-- miltertest exits 1 on error() without printing the message: every failure prints it first.
-- Globals from the command line: socket (the Defender's, as libmilter names it: inet:port@host or unix:/path), dir (this folder).

function fail(msg)
	print("FAIL: " .. msg)
	error(msg)
end

function check(cond, msg)
	if not cond then fail(msg) end
end

-- an mt.* call that returns nil on success, an error text otherwise
function ok(result, what)
	if result ~= nil then fail(what .. ": " .. tostring(result)) end
end

function name(code)
	if code == SMFIR_CONTINUE then return "continue"
	elseif code == SMFIR_ACCEPT then return "accept"
	elseif code == SMFIR_REJECT then return "reject"
	elseif code == SMFIR_TEMPFAIL then return "tempfail"
	elseif code == SMFIR_DISCARD then return "discard"
	elseif code == SMFIR_REPLYCODE then return "replycode"
	elseif code == SMFIR_SKIP then return "skip"
	end
	return "'" .. string.char(code) .. "'"
end

function expect(conn, code, what)
	local got = mt.getreply(conn)
	if got ~= code then fail(what .. ": the reply was " .. name(got) .. ", expected " .. name(code)) end
end

function open()
	local conn = mt.connect(socket)
	check(conn ~= nil, "cannot connect to the Defender on " .. socket)
	return conn
end

-- a client (not loopback: local clients pass unchecked) says HELO; the Defender answers neither
function client(conn, host, ip)
	ok(mt.conninfo(conn, host, ip), "conninfo " .. ip)
	ok(mt.helo(conn, host), "helo " .. host)
end

-- MAIL and one RCPT, the RCPT answered continue
function envelope(conn, from, to, queueid)
	ok(mt.macro(conn, SMFIC_MAIL, "i", queueid, "{auth_authen}", ""), "macro i")
	ok(mt.mailfrom(conn, from), "mailfrom " .. from)
	ok(mt.rcptto(conn, to), "rcptto " .. to)
	expect(conn, SMFIR_CONTINUE, "RCPT TO " .. to)
end

-- header fields (a list of {name, value}), end of header, the body; the body answered continue
function content(conn, fields, body)
	for _, f in ipairs(fields) do ok(mt.header(conn, f[1], f[2]), "header " .. f[1]) end
	ok(mt.eoh(conn), "eoh")
	ok(mt.bodystring(conn, body), "body")
	expect(conn, SMFIR_CONTINUE, "body")
end

function ham_fields(subject)
	return {{"From", "Alice <alice@example.net>"}, {"To", "<bob@example.org>"}, {"Subject", subject},
		{"Message-ID", "<" .. subject:gsub("%W", "") .. "@example.net>"}}
end

-- a mail with a program attached: MimeAttribs scores it -60 (MIME_BAD_EXTENSION)
SPAM_FIELDS = {{"From", "Mallory <m@example.com>"}, {"To", "<bob@example.org>"}, {"Subject", "your invoice"},
	{"MIME-Version", "1.0"}, {"Content-Type", "multipart/mixed; boundary=\"b1\""}}
SPAM_BODY = "--b1\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n" ..
	"--b1\r\nContent-Type: application/octet-stream; name=\"invoice.exe\"\r\n" ..
	"Content-Disposition: attachment; filename=\"invoice.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" ..
	"TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAgAAAAA==\r\n--b1--\r\n"
