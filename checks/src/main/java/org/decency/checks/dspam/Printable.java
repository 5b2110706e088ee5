package org.decency.checks.dspam;

/** Text from the server, made safe for a log line or a score's detail. */
final class Printable {
    private Printable() {}

    /** Control characters and other non-printable bytes become {@code ?}; longer text ends in {@code ...}. */
    static String cut(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max + 3));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f || Character.isISOControl(c) ? '?' : c);
        }
        return s.length() > max ? b + "..." : b.toString();
    }
}
