package org.decency.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The seeds' interval syntax: {@code 600}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}, {@code 1w}; also {@code 250ms}. */
public final class Durations {
    private Durations() {}

    /** A non-negative number (decimals allowed, not for ms) and an optional unit; nothing else. */
    private static final Pattern SYNTAX = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d|w)?");

    public static Optional<Duration> parse(String text) {
        if (text == null) return Optional.empty();
        Matcher m = SYNTAX.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) return Optional.empty();
        String unit = m.group(2) == null ? "s" : m.group(2);
        if (unit.equals("ms")) {
            if (m.group(1).contains(".")) return Optional.empty();
            try {
                return Optional.of(Duration.ofMillis(Long.parseLong(m.group(1))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        double n = Double.parseDouble(m.group(1));
        double seconds = switch (unit) {
            case "m" -> n * 60;
            case "h" -> n * 3600;
            case "d" -> n * 86400;
            case "w" -> n * 7 * 86400;
            default -> n;
        };
        if (Double.isInfinite(seconds) || seconds * 1000 >= Long.MAX_VALUE) return Optional.empty();
        return Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
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
