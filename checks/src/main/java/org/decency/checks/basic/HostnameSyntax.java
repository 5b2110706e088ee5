package org.decency.checks.basic;

import java.util.Locale;
import org.decency.core.IpAddress;

/**
 * What a HELO name or a mail domain looks like, judged by its text alone (RFC 5321
 * section 4.1.2 and Postfix's {@code valid_hostname}): labels of letters, digits,
 * {@code -} and {@code _} (Postfix allows the underscore, many real hosts use it),
 * at most 63 characters each and 253 in all, no label starting or ending with a
 * hyphen, and a last label that is not all digits.
 */
enum HostnameSyntax {
    /** Nothing given. */
    EMPTY,
    /** {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]}: an address literal, fine for HELO. */
    ADDRESS_LITERAL,
    /** {@code 192.0.2.1} without brackets. */
    BARE_ADDRESS,
    /** Not a host name at all. */
    INVALID,
    /** A valid name with a single label ({@code mailserver}). */
    NOT_FQDN,
    /** A valid fully-qualified name. */
    FQDN;

    static HostnameSyntax of(String text) {
        if (text == null || text.isEmpty()) return EMPTY;
        String t = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (t.startsWith("[") && t.endsWith("]")) {
            return IpAddress.parse(t).isPresent() ? ADDRESS_LITERAL : INVALID;
        }
        if (IpAddress.parse(t).isPresent()) return BARE_ADDRESS;
        if (t.isEmpty() || t.length() > 253) return INVALID;
        int labels = 0;
        int start = 0;
        boolean lastAllDigits = false;
        for (int i = 0; i <= t.length(); i++) {
            if (i < t.length() && t.charAt(i) != '.') continue;
            if (!validLabel(t, start, i)) return INVALID;
            lastAllDigits = allDigits(t, start, i);
            labels++;
            start = i + 1;
        }
        if (lastAllDigits) return INVALID;
        return labels == 1 ? NOT_FQDN : FQDN;
    }

    private static boolean validLabel(String t, int from, int to) {
        int len = to - from;
        if (len == 0 || len > 63) return false;
        if (t.charAt(from) == '-' || t.charAt(to - 1) == '-') return false;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) return false;
        }
        return true;
    }

    private static boolean allDigits(String t, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    /** The name without brackets and trailing dot, lower-cased, for comparisons. */
    static String plain(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.endsWith(".")) t = t.substring(0, t.length() - 1);
        if (t.startsWith("[") && t.endsWith("]")) t = t.substring(1, t.length() - 1);
        if (t.startsWith("ipv6:")) t = t.substring(5);
        return t;
    }
}
