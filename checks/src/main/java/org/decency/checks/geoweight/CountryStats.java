package org.decency.checks.geoweight;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.decency.store.Store;

/**
 * Counts mails per country in the store, as the seeds' {@code geo_stats} table did, for
 * the intervals {@code total}, {@code YYYY}, {@code YYYY-MM} and {@code YYYY-MM-DD} (UTC):
 * keys {@code geo:<module>:<CC>:<interval>}, e.g. {@code geo:GeoWeight:DE:2024-05-01}.
 * Each counter lives from its first mail for {@link #DAY_TTL}, {@link #MONTH_TTL},
 * {@link #YEAR_TTL} or {@link #TOTAL_TTL}, so old periods clean themselves up.
 */
final class CountryStats {
    static final Duration DAY_TTL = Duration.ofDays(90);
    static final Duration MONTH_TTL = Duration.ofDays(2 * 366);
    static final Duration YEAR_TTL = Duration.ofDays(10 * 366);
    static final Duration TOTAL_TTL = Duration.ofDays(100 * 366);

    private final Store store;
    private final Clock clock;
    private final String prefix;

    CountryStats(Store store, Clock clock, String module) {
        this.store = store;
        this.clock = clock;
        this.prefix = "geo:" + module + ":";
    }

    /** Counts one mail from {@code country}. */
    void count(String country) {
        String day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString(); // YYYY-MM-DD
        String key = prefix + country + ":";
        store.increment(key + "total", 1, TOTAL_TTL);
        store.increment(key + day.substring(0, 4), 1, YEAR_TTL);
        store.increment(key + day.substring(0, 7), 1, MONTH_TTL);
        store.increment(key + day, 1, DAY_TTL);
    }
}
