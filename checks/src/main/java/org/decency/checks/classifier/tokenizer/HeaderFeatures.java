package org.decency.checks.classifier.tokenizer;

import java.util.Locale;

/**
 * The features of a mail's own header fields (decoded: RFC 2047 words already turned into
 * text). Every field's name counts ({@code hdr:list-id}); of the fields that say something
 * about the sender and the way the mail came, the words or names count too, each under its
 * field: the subject's words (and word pairs, as the body's), the address fields' names and
 * domains, how many addresses {@code To} and {@code Cc} name ({@code rcpts:}, in steps), the
 * relays' domains and /24 networks of the {@code Received} trail, the mail program (its
 * words without version digits, and its whole name as written: {@code xmailer:}), the
 * Message-ID's domain, the priority. Dates, ids and the rest are left out: they
 * are unique to each mail and would only fill the model.
 */
final class HeaderFeatures {
    private final FeatureSet out;
    private final int window;
    private int received;
    private int recipients;

    HeaderFeatures(FeatureSet out, int window) {
        this.out = out;
        this.window = window;
    }

    void add(String name, String value) {
        String field = name.toLowerCase(Locale.ROOT);
        out.add("hdr", field);
        switch (field) {
            case "subject" -> new TextFeatures(out, "subject", window).add(value);
            case "to", "cc" -> {
                new TextFeatures(out, field, 1).add(value);
                recipients += count(value, '@');
            }
            case "from", "reply-to", "sender", "return-path", "errors-to" -> new TextFeatures(out, field, 1).add(value);
            case "received" -> received(value);
            case "content-type" -> out.add("ctype", mediaType(value));
            case "x-mailer", "user-agent" -> {
                new TextFeatures(out, "mailer", 1).add(digitsRemoved(value));
                out.add("xmailer", value.strip().toLowerCase(Locale.ROOT));
            }
            case "message-id" -> {
                int at = value.lastIndexOf('@');
                if (at >= 0) out.add("msgid", value.substring(at + 1).replace(">", "").strip().toLowerCase(Locale.ROOT));
                else out.add("msgid", "no-domain");
            }
            case "x-priority", "x-msmail-priority", "importance", "precedence" ->
                    out.add(field, value.strip().toLowerCase(Locale.ROOT));
            case "date", "delivered-to", "x-original-to", "content-length", "lines", "status", "x-status", "x-uid",
                 "x-keywords", "content-transfer-encoding", "mime-version" -> { }
            default -> {
                if (!field.startsWith("x-spam") && !field.startsWith("x-virus")) new TextFeatures(out, "head", 1).add(value);
            }
        }
    }

    /** After the header: how many relays the mail passed, how many addresses it was sent to. */
    void end() {
        out.add("rcvd", "hops=" + Math.min(received, 10));
        out.add("rcpts", recipientSteps(recipients));
    }

    /** 0, 1, 2, 3 as they are; then up to 10, up to 50, more. */
    static String recipientSteps(int n) {
        return n <= 3 ? Integer.toString(n) : n <= 10 ? "4-10" : n <= 50 ? "11-50" : "51+";
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) == c) n++;
        return n;
    }

    /**
     * The host names and IPv4 addresses of a {@code Received} field: each run of letters,
     * digits, dots and hyphens that does not follow a word character, read up to its first
     * empty label ({@code a.b..c} is {@code a.b}), with at least one dot. A scan of the
     * characters, not a regular expression: every mail has several of these fields.
     */
    private void received(String value) {
        received++;
        char[] v = value.toCharArray(); // loops over an array: far less for the JIT to compile than over charAt
        int n = v.length;
        int i = 0;
        while (i < n) {
            if (!isAlnum(lower(v[i])) || (i > 0 && isWordOrHostChar(v[i - 1]))) {
                i++;
                continue;
            }
            int j = runEnd(v, i);
            int end = matchEnd(v, i, j);
            if (end >= 0) host(new String(v, i, end - i));
            i = j;
        }
    }

    /** The end of the run of host characters from {@code i}. */
    private static int runEnd(char[] v, int i) {
        int j = i;
        while (j < v.length && isHostChar(lower(v[j]))) j++;
        return j;
    }

    /** The end of the match in the run {@code [i, j)}: the last label before an empty one, once past a dot; -1 for none. */
    private static int matchEnd(char[] v, int i, int j) {
        int end = -1;
        boolean dotted = false;
        for (int k = i; k < j; k++) {
            if (v[k] == '.') {
                if (k + 1 >= j || v[k + 1] == '.') break;
                dotted = true;
            } else if (dotted) {
                end = k + 1;
            }
        }
        return end;
    }

    private void host(String raw) {
        String h = raw.toLowerCase(Locale.ROOT);
        boolean digitsAndDots = true, letter = false;
        for (int k = 0; k < h.length(); k++) {
            char c = h.charAt(k);
            if (c >= 'a' && c <= 'z') letter = true;
            if (c != '.' && (c < '0' || c > '9')) digitsAndDots = false;
        }
        if (digitsAndDots) {
            int d1 = h.indexOf('.'), d2 = h.indexOf('.', d1 + 1), d3 = h.indexOf('.', d2 + 1);
            if (d1 > 0 && d2 > 0 && d3 > 0 && h.indexOf('.', d3 + 1) < 0) out.add("rcvdnet", h.substring(0, d3));
        } else if (letter && h.lastIndexOf('.') < h.length() - 2) {
            out.add("rcvd", UrlFeatures.domainOf(h));
        }
    }

    private static boolean isWordOrHostChar(char c) {
        return isHostChar(lower(c)) || c == '_';
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static boolean isHostChar(char c) {
        return isAlnum(c) || c == '.' || c == '-';
    }

    static String digitsRemoved(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') b.append(c);
        }
        return b.toString();
    }

    static String mediaType(String value) {
        int semi = value.indexOf(';');
        return (semi < 0 ? value : value.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }
}
