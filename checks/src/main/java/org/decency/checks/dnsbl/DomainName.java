package org.decency.checks.dnsbl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.decency.core.IpAddress;

/**
 * Domain names as the lists are asked about them: lower case, no trailing dot, labels
 * of letters, digits, {@code -} and {@code _} of at most 63 characters. Address literals
 * and addresses are not domain names.
 */
public final class DomainName {
    private DomainName() {}

    /** The name in its plain form, or null when {@code text} is no domain name of at least {@code minLabels} labels. */
    public static String plain(String text, int minLabels) {
        if (text == null) return null;
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.endsWith(".")) t = t.substring(0, t.length() - 1);
        if (t.isEmpty() || t.length() > 253 || t.startsWith("[") || IpAddress.parse(t).isPresent()) return null;
        int labels = 0;
        int start = 0;
        for (int i = 0; i <= t.length(); i++) {
            if (i < t.length() && t.charAt(i) != '.') {
                char c = t.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok) return null;
                continue;
            }
            int len = i - start;
            if (len == 0 || len > 63) return null;
            labels++;
            start = i + 1;
        }
        return labels >= minLabels ? t : null;
    }

    /**
     * {@code name} and its parents down to two labels, at most {@code max} names:
     * {@code a.b.example.org} → {@code a.b.example.org, b.example.org, example.org}.
     */
    public static List<String> withParents(String name, int max) {
        List<String> out = new ArrayList<>();
        String n = name;
        while (out.size() < max) {
            out.add(n);
            int dot = n.indexOf('.');
            if (dot < 0 || n.indexOf('.', dot + 1) < 0) break;
            n = n.substring(dot + 1);
        }
        return out;
    }
}
