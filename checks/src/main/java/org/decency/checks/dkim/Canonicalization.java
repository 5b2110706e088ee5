package org.decency.checks.dkim;

import java.util.Optional;

/** The two canonicalization algorithms of RFC 6376 3.4, for the header and for the body. */
public enum Canonicalization {
    SIMPLE, RELAXED;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<Canonicalization> of(String word) {
        return switch (word.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "simple" -> Optional.of(SIMPLE);
            case "relaxed" -> Optional.of(RELAXED);
            default -> Optional.empty();
        };
    }

    /**
     * A c= value: {@code header/body}, or just {@code header} with simple for the body;
     * absent means simple/simple. Empty when either name is unknown.
     */
    public static Optional<Canonicalization[]> pair(String c) {
        if (c == null) return Optional.of(new Canonicalization[] {SIMPLE, SIMPLE});
        String[] parts = c.split("/", -1);
        if (parts.length > 2) return Optional.empty();
        Optional<Canonicalization> header = of(parts[0]);
        Optional<Canonicalization> body = parts.length == 2 ? of(parts[1]) : Optional.of(SIMPLE);
        if (header.isEmpty() || body.isEmpty()) return Optional.empty();
        return Optional.of(new Canonicalization[] {header.get(), body.get()});
    }
}
