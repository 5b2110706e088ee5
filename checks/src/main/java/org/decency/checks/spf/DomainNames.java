package org.decency.checks.spf;

import java.util.regex.Pattern;

/** Domain name rules of RFC 7208: the toplabel grammar (§7.1) and well-formed names (§4.3). */
final class DomainNames {
    /** toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ) */
    static final String TOPLABEL = "(?:[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9])";
    private static final Pattern TOP = Pattern.compile(TOPLABEL);
    static final int MAX_LENGTH = 253;

    private DomainNames() {}

    /** Without one trailing dot. */
    static String withoutTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /**
     * True for a name check_host() can start at: two or more labels of 1 to 63 visible
     * ASCII characters, at most 253 in all, ending in a toplabel. A HELO of one label or an
     * address literal ({@code [192.0.2.1]}) is not one: such an identity gives {@code none}.
     */
    static boolean isWellFormed(String name) {
        String n = withoutTrailingDot(name);
        if (n.isEmpty() || n.length() > MAX_LENGTH) return false;
        String[] labels = n.split("\\.", -1);
        if (labels.length < 2) return false;
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63) return false;
            for (char c : label.toCharArray()) if (c <= ' ' || c > '~') return false;
        }
        return TOP.matcher(labels[labels.length - 1]).matches();
    }

    /** Drops labels on the left until the name has at most 253 characters (RFC 7208 §7.3). */
    static String shortened(String name) {
        String n = name;
        while (n.length() > MAX_LENGTH) {
            int dot = n.indexOf('.');
            if (dot < 0) return n;
            n = n.substring(dot + 1);
        }
        return n;
    }

    /** True when {@code name} is {@code domain} or below it, ignoring case. */
    static boolean isAtOrBelow(String name, String domain) {
        String n = withoutTrailingDot(name);
        String d = withoutTrailingDot(domain);
        if (n.equalsIgnoreCase(d)) return true;
        return n.length() > d.length() && n.regionMatches(true, n.length() - d.length() - 1, "." + d, 0, d.length() + 1);
    }
}
