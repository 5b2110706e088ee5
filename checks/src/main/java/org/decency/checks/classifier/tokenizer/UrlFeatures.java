package org.decency.checks.classifier.tokenizer;

import java.util.Locale;

/**
 * The links of a mail as features: each link's host ({@code url:www.example.com}), its
 * domain ({@code urldomain:example.com}; the last three labels under a two-letter country
 * code with a short second label, as {@code example.co.uk}), and {@code url:ip} for a host
 * that is an IPv4 address, which legitimate senders seldom link to.
 */
public final class UrlFeatures {
    private final FeatureSet out;

    public UrlFeatures(FeatureSet out) {
        this.out = out;
    }

    /** Finds {@code http://}, {@code https://} and {@code www.} links in plain text. */
    public void scan(CharSequence text) {
        int n = text.length();
        for (int i = 0; i < n - 4; i++) {
            char c = text.charAt(i);
            if (c != 'h' && c != 'H' && c != 'w' && c != 'W') continue;
            if (i > 0 && Character.isLetterOrDigit(text.charAt(i - 1))) continue;
            int hostStart = -1;
            if (startsWith(text, i, "http://")) hostStart = i + 7;
            else if (startsWith(text, i, "https://")) hostStart = i + 8;
            else if (startsWith(text, i, "www.")) hostStart = i;
            if (hostStart < 0) continue;
            int end = hostStart;
            while (end < n && hostChar(text.charAt(end))) end++;
            if (end > hostStart) host(text.subSequence(hostStart, end).toString());
            i = end;
        }
    }

    /** A link target as written in an {@code href} or {@code src}. */
    public void link(String url) {
        String u = url.strip();
        int scheme = u.indexOf("://");
        if (scheme < 0) {
            if (u.regionMatches(true, 0, "mailto:", 0, 7)) out.add("html", "mailto");
            else if (u.regionMatches(true, 0, "www.", 0, 4)) scan(u);
            return;
        }
        out.add("urlscheme", u.substring(0, scheme).toLowerCase(Locale.ROOT));
        int start = scheme + 3;
        int at = u.indexOf('@', start);
        int slash = u.indexOf('/', start);
        if (at > 0 && (slash < 0 || at < slash)) {
            out.add("url", "userinfo"); // http://bank.com@evil.example/: an old trick
            start = at + 1;
        }
        int end = start;
        while (end < u.length() && hostChar(u.charAt(end))) end++;
        if (end > start) host(u.substring(start, end));
    }

    private void host(String raw) {
        String host = raw.toLowerCase(Locale.ROOT);
        while (host.endsWith(".")) host = host.substring(0, host.length() - 1);
        if (host.isEmpty() || host.length() > 100) return;
        if (isIpv4(host)) {
            out.add("url", "ip");
            return;
        }
        out.add("url", host);
        out.add("urldomain", domainOf(host));
    }

    static String domainOf(String host) {
        String[] labels = host.split("\\.");
        if (labels.length <= 2) return host;
        int keep = 2;
        String tld = labels[labels.length - 1];
        String second = labels[labels.length - 2];
        if (tld.length() == 2 && second.length() <= 3) keep = 3;
        StringBuilder b = new StringBuilder();
        for (int i = Math.max(0, labels.length - keep); i < labels.length; i++) {
            if (!b.isEmpty()) b.append('.');
            b.append(labels[i]);
        }
        return b.toString();
    }

    private static boolean isIpv4(String host) {
        int dots = 0;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '.') dots++;
            else if (c < '0' || c > '9') return false;
        }
        return dots == 3;
    }

    private static boolean hostChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-');
    }

    private static boolean startsWith(CharSequence text, int at, String prefix) {
        if (at + prefix.length() > text.length()) return false;
        for (int k = 0; k < prefix.length(); k++) {
            if (Character.toLowerCase(text.charAt(at + k)) != prefix.charAt(k)) return false;
        }
        return true;
    }
}
