package org.decency.checks.plausibility;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.decency.config.ConfigNode;

/**
 * What a host name of a dial-up, DSL or cable pool looks like. A name matching one of
 * the {@code exceptions} looks like a mail server and is never taken for a pool. The
 * defaults are policyd-weight's (matched anywhere, ignoring case), with {@code dhcp} and
 * {@code pool} added: a pool keyword followed by at least two more dots (so in the
 * host part, not in the provider's domain), or four numbers of the address embedded
 * in the name ({@code host-192-0-2-10.example.net}).
 */
record DialupPatterns(List<Pattern> patterns, List<Pattern> exceptions) {

    static final List<String> DEFAULT_PATTERNS = List.of(
            "(\\.dip|cable|ppp|dial|dsl|dyn|dhcp|pool|client|rev.*?(ip|home)).*?\\..*?\\.",
            "[a-z.\\-_]+\\d{1,3}[-._]\\d{1,3}[-._]\\d{1,3}[-._]\\d{1,3}");
    static final List<String> DEFAULT_EXCEPTIONS = List.of("(mx|smtp|mail|dedicated|(\\b|[^n])stat).*?\\..*?\\.");

    DialupPatterns {
        patterns = List.copyOf(patterns);
        exceptions = List.copyOf(exceptions);
    }

    static DialupPatterns read(ConfigNode n) {
        return new DialupPatterns(compile(n, "dialup_patterns", DEFAULT_PATTERNS), compile(n, "dialup_exceptions", DEFAULT_EXCEPTIONS));
    }

    static DialupPatterns defaults() {
        return new DialupPatterns(DEFAULT_PATTERNS.stream().map(DialupPatterns::compile).toList(),
                DEFAULT_EXCEPTIONS.stream().map(DialupPatterns::compile).toList());
    }

    /** True when {@code host} looks like a mail server (an exception matches). */
    boolean looksLikeMailServer(String host) {
        return exceptions.stream().anyMatch(p -> p.matcher(host).find());
    }

    /** The pattern {@code host} matches when it looks like a pool and not like a mail server. */
    Optional<String> poolPattern(String host) {
        if (host.isEmpty() || looksLikeMailServer(host)) return Optional.empty();
        return patterns.stream().filter(p -> p.matcher(host).find()).map(Pattern::pattern).findFirst();
    }

    private static List<Pattern> compile(ConfigNode n, String key, List<String> defaults) {
        Optional<ConfigNode> node = n.child(key);
        if (node.isEmpty()) return defaults.stream().map(DialupPatterns::compile).toList();
        List<Pattern> out = new ArrayList<>();
        List<ConfigNode> items = node.get().isSequence() ? node.get().asList() : List.of(node.get());
        for (ConfigNode item : items) {
            try {
                out.add(compile(item.text()));
            } catch (PatternSyntaxException e) {
                throw item.error("not a regular expression: " + e.getDescription() + " in \"" + item.text() + "\"");
            }
        }
        return out;
    }

    private static Pattern compile(String regex) {
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
    }
}
