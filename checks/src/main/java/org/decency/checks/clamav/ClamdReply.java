package org.decency.checks.clamav;

import java.io.IOException;

/**
 * clamd's answer to a scan: {@code stream: OK}, {@code stream: <signature> FOUND}, or
 * {@code <problem> ERROR} (e.g. {@code INSTREAM size limit exceeded. ERROR} for a mail
 * longer than its {@code StreamMaxLength}).
 *
 * @param text the signature name (VIRUS) or clamd's whole answer (ERROR); empty when CLEAN
 */
record ClamdReply(Kind kind, String text) {

    enum Kind { CLEAN, VIRUS, ERROR }

    /** Longest signature name kept (clamd's are far shorter). */
    static final int MAX_NAME = 200;

    static final ClamdReply CLEAN = new ClamdReply(Kind.CLEAN, "");

    /**
     * Reads the answer to the {@code request}-th command of a session: {@code <request>: <answer>}.
     *
     * @throws IOException for anything else: another request's number (the session is out
     *                     of step), or an answer that is no scan result
     */
    static ClamdReply parse(String reply, int request) throws IOException {
        String prefix = request + ": ";
        if (!reply.startsWith(prefix)) throw new IOException("unexpected answer from clamd: \"" + printable(reply) + "\"");
        String body = reply.substring(prefix.length()).strip();
        if (body.endsWith("ERROR")) return new ClamdReply(Kind.ERROR, printable(body));
        if (!body.startsWith("stream: ")) throw new IOException("unexpected answer from clamd: \"" + printable(reply) + "\"");
        String result = body.substring("stream: ".length());
        if (result.equals("OK")) return CLEAN;
        if (result.endsWith(" FOUND") && result.length() > " FOUND".length()) {
            return new ClamdReply(Kind.VIRUS, name(result.substring(0, result.length() - " FOUND".length()).strip()));
        }
        throw new IOException("unexpected answer from clamd: \"" + printable(reply) + "\"");
    }

    /** A signature name fit for a flag and a header: visible ASCII only, at most {@link #MAX_NAME} characters. */
    static String name(String raw) {
        StringBuilder b = new StringBuilder(Math.min(raw.length(), MAX_NAME));
        for (int i = 0; i < raw.length() && b.length() < MAX_NAME; i++) {
            char c = raw.charAt(i);
            b.append(c > 0x20 && c < 0x7f ? c : '_');
        }
        return b.toString();
    }

    /** clamd's text for a log line: control characters and non-ASCII shown as '?', at most 300 characters. */
    static String printable(String raw) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < raw.length() && b.length() < 300; i++) {
            char c = raw.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
