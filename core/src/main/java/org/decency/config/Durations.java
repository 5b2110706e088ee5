package org.decency.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** The seeds' interval syntax: {@code 600}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}, {@code 1w}; also {@code 250ms}. */
public final class Durations {
    private Durations() {}

    public static Optional<Duration> parse(String text) {
        if (text == null) return Optional.empty();
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) return Optional.empty();
        try {
            if (t.endsWith("ms")) return Optional.of(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).strip())));
            char unit = t.charAt(t.length() - 1);
            if (Character.isDigit(unit) || unit == '.') return Optional.of(ofSeconds(Double.parseDouble(t)));
            double n = Double.parseDouble(t.substring(0, t.length() - 1).strip());
            return switch (unit) {
                case 's' -> Optional.of(ofSeconds(n));
                case 'm' -> Optional.of(ofSeconds(n * 60));
                case 'h' -> Optional.of(ofSeconds(n * 3600));
                case 'd' -> Optional.of(ofSeconds(n * 86400));
                case 'w' -> Optional.of(ofSeconds(n * 7 * 86400));
                default -> Optional.empty();
            };
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Duration ofSeconds(double s) {
        if (s < 0 || Double.isNaN(s) || Double.isInfinite(s)) throw new NumberFormatException("negative");
        return Duration.ofMillis(Math.round(s * 1000));
    }

    /** {@code 90s}, {@code 10m}, {@code 2h}: the shortest exact form, for messages. */
    public static String format(Duration d) {
        long s = d.toSeconds();
        if (d.toMillis() % 1000 != 0) return d.toMillis() + "ms";
        if (s != 0 && s % 604800 == 0) return s / 604800 + "w";
        if (s != 0 && s % 86400 == 0) return s / 86400 + "d";
        if (s != 0 && s % 3600 == 0) return s / 3600 + "h";
        if (s != 0 && s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }
}
