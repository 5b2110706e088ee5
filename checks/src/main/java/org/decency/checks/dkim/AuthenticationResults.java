package org.decency.checks.dkim;

import java.util.List;

/**
 * The value of an Authentication-Results field (RFC 8601) for the DKIM results of a mail:
 * {@code mx.example.org; dkim=pass header.d=example.com header.s=sel header.b=abcdefgh},
 * one {@code dkim=} result per signature, with a reason for what did not pass;
 * {@code dkim=none} for an unsigned mail.
 */
public final class AuthenticationResults {
    private AuthenticationResults() {}

    public static String value(String authservId, List<SignatureResult> results) {
        StringBuilder b = new StringBuilder(authservId);
        if (results.isEmpty()) return b.append("; dkim=none").toString();
        for (SignatureResult r : results) {
            b.append("; dkim=").append(r.result().word());
            if (r.testing()) b.append(" (test mode)");
            if (!r.why().isEmpty()) b.append(" reason=").append(quoted(r.why()));
            if (!r.domain().isEmpty()) b.append(" header.d=").append(value(r.domain()));
            if (!r.selector().isEmpty()) b.append(" header.s=").append(value(r.selector()));
            if (!r.bPrefix().isEmpty()) b.append(" header.b=").append(value(r.bPrefix()));
        }
        return b.toString();
    }

    /** A token as it is, anything else quoted (RFC 2045 value: "/" and "=" are specials). */
    static String value(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) return quoted(s);
        }
        return s;
    }

    private static String quoted(String s) {
        return "\"" + TagList.printable(s) + "\"";
    }
}
