package org.decency.pipeline;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many periods of each kind the statistics keep, the seeds' {@code stats.maintenance.intervals}:
 * the current one included, so {@code hour: 336} keeps this hour and the 335 before it
 * (two weeks). 0 keeps a period's rows for ever.
 *
 * @param keep periods to keep, per period name
 */
public record StatsRetention(Map<String, Integer> keep) {

    /** The seeds' defaults: hour 336, day 60, week 52, month 24, year 10. */
    public static final StatsRetention DEFAULTS = new StatsRetention(Map.of("hour", 336, "day", 60, "week", 52, "month", 24, "year", 10));

    public StatsRetention {
        keep = Map.copyOf(keep);
    }

    /** These defaults with {@code overrides} over them. */
    public StatsRetention with(Map<String, Integer> overrides) {
        Map<String, Integer> m = new LinkedHashMap<>(keep);
        m.putAll(overrides);
        return new StatsRetention(m);
    }

    public int periods(String period) {
        return keep.getOrDefault(period, 0);
    }

    /**
     * The first period start that is kept at {@code now}: rows of {@code period} that start
     * before it are old. {@link Long#MIN_VALUE} when the period is kept for ever.
     */
    public long firstKept(String period, Instant now) {
        int n = periods(period);
        if (n <= 0) return Long.MIN_VALUE;
        return StatsRecorder.shift(period, StatsRecorder.periodStart(period, now), -(n - 1));
    }
}
