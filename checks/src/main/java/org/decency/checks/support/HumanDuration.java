package org.decency.checks.support;

import java.time.Duration;

/** Durations for people: {@code 4m 12s}, {@code 2h}, {@code 1d 3h}. */
public final class HumanDuration {
    private HumanDuration() {}

    public static String format(Duration d) {
        long s = Math.max(0, (d.toMillis() + 999) / 1000);
        if (s == 0) return "0s";
        long days = s / 86400, hours = s % 86400 / 3600, minutes = s % 3600 / 60, seconds = s % 60;
        StringBuilder b = new StringBuilder();
        if (days > 0) b.append(days).append("d ");
        if (hours > 0) b.append(hours).append("h ");
        if (minutes > 0) b.append(minutes).append("m ");
        if (seconds > 0) b.append(seconds).append("s");
        return b.toString().strip();
    }
}
