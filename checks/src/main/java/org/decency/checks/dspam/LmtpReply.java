package org.decency.checks.dspam;

import java.util.List;

/**
 * One LMTP reply (RFC 2033, replies as in RFC 5321 section 4.2): a three-digit code and
 * its text lines; {@code 250-PIPELINING} and the like are the lines of a multi-line reply.
 */
record LmtpReply(int code, List<String> lines) {

    LmtpReply {
        lines = List.copyOf(lines);
    }

    /** True for a line of the form {@code NNN text}, {@code NNN-text} or a bare {@code NNN}. */
    static boolean looksLikeReply(String line) {
        if (line.length() < 3) return false;
        for (int i = 0; i < 3; i++) if (line.charAt(i) < '0' || line.charAt(i) > '9') return false;
        if (line.charAt(0) < '2' || line.charAt(0) > '5') return false;
        return line.length() == 3 || line.charAt(3) == ' ' || line.charAt(3) == '-';
    }

    /** The code of a reply line. */
    static int codeOf(String line) {
        return Integer.parseInt(line.substring(0, 3));
    }

    /** True when this line is followed by more lines of the same reply. */
    static boolean continues(String line) {
        return line.length() > 3 && line.charAt(3) == '-';
    }

    boolean positive() {
        return code >= 200 && code < 300;
    }

    /** The text after the code, line by line (enhanced status codes kept). */
    List<String> texts() {
        return lines.stream().map(l -> l.length() > 4 ? l.substring(4) : "").toList();
    }

    /** The last line as the server wrote it, shortened for a log line. */
    String brief() {
        return Printable.cut(lines.getLast(), 200);
    }
}
