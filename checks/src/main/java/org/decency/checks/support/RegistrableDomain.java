package org.decency.checks.support;

import java.util.Locale;
import java.util.Set;

/**
 * The registrable part of a host name ({@code example.org} for {@code mx1.mail.example.org}),
 * by the heuristic of the original Decency and policyd-weight, not by the Public Suffix
 * List: the last two labels, or the last three when the second-level label is one of the
 * usual second-level registries under a two-letter country ({@code example.co.uk},
 * {@code example.com.br}, {@code example.ac.jp}). Wrong for some suffixes
 * ({@code example.pvt.k12.ma.us}, {@code city.kawasaki.jp}); good enough to compare names
 * for a bonus.
 */
public final class RegistrableDomain {
    private static final Set<String> SECOND_LEVEL = Set.of("co", "com", "net", "org", "gov", "edu", "ac", "or", "ne",
            "go", "mil", "nic", "ltd", "plc", "sch", "gob", "nom");

    private RegistrableDomain() {}

    /** The registrable domain of {@code name}; the name itself when it has too few labels. */
    public static String of(String name) {
        String n = DnsLookups.normal(name);
        String[] labels = n.split("\\.");
        if (labels.length < 2) return n;
        String last = labels[labels.length - 1];
        String second = labels[labels.length - 2];
        int keep = labels.length >= 3 && last.length() == 2 && isLetters(last) && SECOND_LEVEL.contains(second) ? 3 : 2;
        if (labels.length <= keep) return n;
        return String.join(".", java.util.Arrays.copyOfRange(labels, labels.length - keep, labels.length));
    }

    /** True when both names have the same registrable domain. */
    public static boolean same(String a, String b) {
        return !a.isEmpty() && !b.isEmpty() && of(a).equals(of(b));
    }

    private static boolean isLetters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.toLowerCase(Locale.ROOT).charAt(i);
            if (c < 'a' || c > 'z') return false;
        }
        return true;
    }
}
