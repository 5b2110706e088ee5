package org.decency.checks.classifier.tokenizer;

import java.util.Locale;

/**
 * The links of a mail as features: each link's host ({@code url:www.example.com}), its
 * domain ({@code urldomain:example.com}; the last three labels under a two-letter country
 * code with a short second label, as {@code example.co.uk}), {@code url:ip} for a host
 * that is an IPv4 address, which legitimate senders seldom link to, and the words of the
 * path and query ({@code urlpath:unsubscribe}, {@code urlpath:cgi-bin}): spam's tracking
 * and opt-out links look alike across senders and hosts.
 */
public final class UrlFeatures {
    private final FeatureSet out;

    public UrlFeatures(FeatureSet out) {
        this.out = out;
    }

    /** Finds {@code http://}, {@code https://} and {@code www.} links in plain text. */
    public void scan(CharSequence text) {
        scan(text.toString().toCharArray()); // an array: far less for the JIT to compile than charAt
    }

    private void scan(char[] t) {
        int n = t.length;
        for (int i = 0; i < n - 4; i++) {
            char c = t[i];
            if ((c | 0x20) != 'h' && (c | 0x20) != 'w') continue;
            if (i > 0 && isWordChar(t[i - 1])) continue;
            int hostStart = linkStart(t, i);
            if (hostStart < 0) continue;
            int end = hostStart;
            while (end < n && hostChar(t[end])) end++;
            if (end > hostStart) host(new String(t, hostStart, end - hostStart));
            int pathEnd = end;
            while (pathEnd < n && t[pathEnd] > ' ' && t[pathEnd] != '"' && t[pathEnd] != '<' && t[pathEnd] != '>') pathEnd++;
            if (pathEnd > end) path(new String(t, end, pathEnd - end));
            i = pathEnd;
        }
    }

    /** Where the host starts if a link starts at {@code i}, else -1. */
    private static int linkStart(char[] t, int i) {
        if (startsWith(t, i, "http://")) return i + 7;
        if (startsWith(t, i, "https://")) return i + 8;
        if (startsWith(t, i, "www.")) return i;
        return -1;
    }

    private static boolean isWordChar(char c) {
        return c < 128 ? hostChar(c) && c != '.' && c != '-' : Character.isLetterOrDigit(c);
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
        if (end < u.length()) path(u.substring(end));
    }

    /** The words of a link's path and query, as words of their own kind. */
    private void path(String pathAndQuery) {
        new TextFeatures(out, "urlpath", 1).add(pathAndQuery);
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
        int last = host.lastIndexOf('.');
        if (last < 0) return host;
        int second = host.lastIndexOf('.', last - 1);
        if (second < 0) return host; // two labels (or fewer)
        int keep = host.length() - last - 1 == 2 && last - second - 1 <= 3 ? 3 : 2; // example.co.uk
        int from = second;
        if (keep == 3) {
            from = host.lastIndexOf('.', second - 1);
            if (from < 0) return host;
        }
        return host.substring(from + 1);
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

    private static boolean startsWith(char[] t, int at, String prefix) {
        if (at + prefix.length() > t.length) return false;
        for (int k = 0; k < prefix.length(); k++) {
            char c = t[at + k];
            if ((c >= 'A' && c <= 'Z' ? (char) (c + 32) : c) != prefix.charAt(k)) return false;
        }
        return true;
    }
}
