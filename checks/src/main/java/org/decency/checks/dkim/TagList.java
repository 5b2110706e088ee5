package org.decency.checks.dkim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tag=value list (RFC 6376 3.2), the syntax of DKIM-Signature fields and key records:
 * {@code tag=value} pairs separated by semicolons, a trailing semicolon allowed, white
 * space and folding around tags, equals signs and values ignored. Tag names are
 * case-sensitive; a tag given twice, a pair without "=" or a bad tag name is an error.
 * Values keep their inner white space (base64 values strip it themselves).
 */
public final class TagList {
    private final Map<String, String> tags;

    private TagList(Map<String, String> tags) {
        this.tags = Collections.unmodifiableMap(tags);
    }

    public static TagList parse(String text) throws DkimSyntaxException {
        Map<String, String> tags = new LinkedHashMap<>();
        String[] specs = text.split(";", -1);
        for (int i = 0; i < specs.length; i++) {
            String spec = strip(specs[i]);
            if (spec.isEmpty()) {
                if (i == specs.length - 1) break; // the trailing semicolon
                throw new DkimSyntaxException("an empty tag");
            }
            int eq = spec.indexOf('=');
            if (eq < 0) throw new DkimSyntaxException("\"" + printable(spec) + "\" has no \"=\"");
            String name = strip(spec.substring(0, eq));
            if (!isTagName(name)) throw new DkimSyntaxException("bad tag name \"" + printable(name) + "\"");
            if (tags.putIfAbsent(name, strip(spec.substring(eq + 1))) != null) {
                throw new DkimSyntaxException("tag " + name + "= appears twice");
            }
        }
        return new TagList(tags);
    }

    public boolean has(String tag) {
        return tags.containsKey(tag);
    }

    /** The value of {@code tag}, or null when absent. */
    public String get(String tag) {
        return tags.get(tag);
    }

    public Map<String, String> asMap() {
        return tags;
    }

    /** The value without any white space (folding) at all, as base64 values are read. */
    static String compact(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') b.append(c);
        }
        return b.toString();
    }

    private static boolean isTagName(String name) {
        if (name.isEmpty() || !Character.isLetter(name.charAt(0)) || name.charAt(0) > 'z') return false;
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) return false;
        }
        return true;
    }

    /** Strips white space and folding (CR, LF) at both ends. */
    private static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isFws(s.charAt(start))) start++;
        while (end > start && isFws(s.charAt(end - 1))) end--;
        return s.substring(start, end);
    }

    private static boolean isFws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** Text from a mail or DNS for a log line or header comment: printable ASCII only, at most 60 characters. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 60));
        for (int i = 0; i < s.length() && b.length() < 60; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
        }
        return b.toString();
    }
}
