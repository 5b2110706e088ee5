package org.decency.checks.spamassassin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One answer of spamd (the SPAMC/SPAMD protocol, spamd's {@code PROTOCOL} file): a status
 * line {@code SPAMD/1.1 0 EX_OK}, header lines {@code Name: value} up to a blank line, and
 * a body ({@code Content-length} bytes when given, else up to the end of the connection).
 * A code other than 0 is spamd's error (sysexits.h: 76 EX_PROTOCOL, 69 EX_UNAVAILABLE,
 * 79 EX_TIMEOUT, ...), sent as the status line alone.
 *
 * <p>spamd is a peer, not a friend: every part is bounded (a line 8 KiB, 100 header
 * lines, the body {@code maxBody} bytes), and anything that does not parse is an {@link
 * IOException} naming what was wrong, never a runtime exception.
 *
 * @param headers the header lines by name, any case
 */
record SpamdReply(String version, int code, String message, Map<String, String> headers, String body) {

    static final int MAX_LINE = 8192;
    static final int MAX_HEADERS = 100;
    private static final Pattern STATUS = Pattern.compile("SPAMD/(\\d{1,3}\\.\\d{1,3})[ \\t]+(\\d{1,3})(?:[ \\t]+(.*))?");
    private static final Pattern HEADER = Pattern.compile("([A-Za-z0-9][A-Za-z0-9_-]{0,63})[ \\t]*:[ \\t]*(.*)");

    SpamdReply {
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        headers = Collections.unmodifiableMap(h);
    }

    boolean ok() {
        return code == 0;
    }

    /** The value of header {@code name} (any case), or null. */
    String header(String name) {
        return headers.get(name);
    }

    /** {@code 76 Bad header line: ...}: what spamd said when it refused, for the log and the detail. */
    String describe() {
        return "spamd answered " + code + (message.isEmpty() ? "" : " " + message);
    }

    /** Reads one answer from {@code in}; at most {@code maxBody} bytes of body are accepted. */
    static SpamdReply read(InputStream in, int maxBody) throws IOException {
        String status = line(in, true);
        if (status == null) throw new IOException("spamd closed the connection without an answer");
        Matcher m = STATUS.matcher(status);
        if (!m.matches()) throw new IOException("not a spamd answer: \"" + printable(status, 80) + "\"");
        int code = Integer.parseInt(m.group(2));
        String message = m.group(3) == null ? "" : printable(m.group(3).strip(), 200);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (code != 0) return new SpamdReply(m.group(1), code, message, headers, ""); // errors are the status line alone
        for (int i = 0; ; i++) {
            String line = line(in, false);
            if (line == null || line.isEmpty()) break; // the end of the headers (PONG comes without a blank line)
            if (i == MAX_HEADERS) throw new IOException("spamd's answer has more than " + MAX_HEADERS + " header lines");
            Matcher h = HEADER.matcher(line);
            if (!h.matches()) throw new IOException("spamd's answer has a bad header line: \"" + printable(line, 80) + "\"");
            if (headers.putIfAbsent(h.group(1), h.group(2).strip()) != null) {
                throw new IOException("spamd's answer has the header " + h.group(1) + " twice");
            }
        }
        return new SpamdReply(m.group(1), code, message, headers, body(in, headers.get("Content-length"), maxBody));
    }

    private static String body(InputStream in, String contentLength, int maxBody) throws IOException {
        if (contentLength == null) {
            byte[] b = in.readNBytes(maxBody + 1);
            if (b.length > maxBody) throw new IOException("spamd's answer is longer than " + maxBody + " bytes");
            return new String(b, StandardCharsets.UTF_8);
        }
        if (!contentLength.matches("\\d{1,10}")) {
            throw new IOException("spamd's answer has a bad Content-length: \"" + printable(contentLength, 40) + "\"");
        }
        long n = Long.parseLong(contentLength);
        if (n > maxBody) throw new IOException("spamd's answer announces " + n + " bytes, more than " + maxBody);
        byte[] b = in.readNBytes((int) n);
        if (b.length < n) throw new IOException("spamd's answer was cut short: " + b.length + " of " + n + " bytes");
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * One line without its CRLF (or LF), or null at the end of the stream before any byte.
     * A line cut off by the end of the stream is an error, except the status line's own end
     * (spamd's error lines end with CRLF, but a peer that just closes is read as it is).
     */
    private static String line(InputStream in, boolean first) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (b.size() == 0) return null;
                if (!first) throw new IOException("spamd's answer was cut short in a header line");
                break;
            }
            if (c == '\n') break;
            if (b.size() == MAX_LINE) throw new IOException("spamd's answer has a line longer than " + MAX_LINE + " bytes");
            b.write(c);
        }
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** {@code s} with control characters as {@code ?}, cut at {@code max} characters: safe for a log line or a detail. */
    static String printable(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max + 3));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f || Character.isISOControl(c) ? '?' : c);
        }
        if (s.length() > max) b.append("...");
        return b.toString();
    }
}
