package org.decency.checks.dkim;

/**
 * Header canonicalization (RFC 6376 3.4.1 and 3.4.2) of one raw field, one char per byte.
 * Simple keeps the field as it is; relaxed lower-cases the name, unfolds, turns every run
 * of blanks into one space and drops the blanks at the ends of the value and around the
 * colon. The result ends with CRLF, as it goes into the hash.
 */
public final class HeaderCanonicalizer {
    private HeaderCanonicalizer() {}

    public static String canonicalize(String field, Canonicalization c) {
        return c == Canonicalization.SIMPLE ? field + "\r\n" : relaxed(field) + "\r\n";
    }

    static String relaxed(String field) {
        int colon = field.indexOf(':');
        String name = colon < 0 ? field : field.substring(0, colon);
        String value = colon < 0 ? "" : field.substring(colon + 1);
        StringBuilder b = new StringBuilder(field.length());
        b.append(lowerAscii(name.strip())).append(':');
        boolean blank = false;
        boolean started = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') continue; // unfolding
            if (c == ' ' || c == '\t') {
                blank = true;
                continue;
            }
            if (blank && started) b.append(' ');
            blank = false;
            started = true;
            b.append(c);
        }
        return b.toString();
    }

    private static String lowerAscii(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return b.toString();
    }
}
