package org.decency.pipeline;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.decency.core.Action;
import org.decency.core.Verdict;
import org.decency.store.StatsRow;
import org.decency.store.Store;

/**
 * Counts calls, score and runtime per module, and answers per module, in memory, and
 * hands them to the store as {@link StatsRow}s on {@link #flush()} (the server flushes
 * every few seconds and at shutdown), for every configured period (hour, day, week,
 * month, year; UTC). Recording is lock-free so it costs the hot path almost nothing.
 */
public final class StatsRecorder {
    public static final List<String> ALL_PERIODS = List.of("hour", "day", "week", "month", "year");

    private record Key(String table, String module, String status) {}

    private static final class Sums {
        final LongAdder calls = new LongAdder();
        final DoubleAdder score = new DoubleAdder();
        final LongAdder nanos = new LongAdder();
    }

    private final String server;
    private final List<String> periods;
    private final Clock clock;
    private final Store store;
    private volatile Map<Key, Sums> current = new ConcurrentHashMap<>();

    public StatsRecorder(String server, List<String> periods, Clock clock, Store store) {
        for (String p : periods) {
            if (!ALL_PERIODS.contains(p)) throw new IllegalArgumentException("unknown stats period " + p + "; expected one of " + ALL_PERIODS);
        }
        this.server = server;
        this.periods = List.copyOf(periods);
        this.clock = clock;
        this.store = store;
    }

    void module(String module, double score, long nanos) {
        Sums s = current.computeIfAbsent(new Key("performance", module, ""), k -> new Sums());
        s.calls.increment();
        s.score.add(score);
        s.nanos.add(nanos);
    }

    void decision(List<Module> asked, Verdict verdict) {
        // as the seeds did: a literal reply counts under its code (450, 554), not as "REPLY"
        String status = verdict.action() == Action.REPLY ? verdict.text().substring(0, 3) : verdict.action().name();
        for (Module m : asked) current.computeIfAbsent(new Key("response", m.name(), status), k -> new Sums()).calls.increment();
        current.computeIfAbsent(new Key("response", "*", status), k -> new Sums()).calls.increment();
    }

    /** Writes what was counted since the last flush. */
    public void flush() {
        Map<Key, Sums> done = current;
        current = new ConcurrentHashMap<>();
        if (done.isEmpty()) return;
        Instant now = clock.instant();
        List<StatsRow> rows = new ArrayList<>();
        for (String period : periods) {
            long start = periodStart(period, now);
            done.forEach((k, s) -> rows.add(new StatsRow(server, k.table(), k.module(), k.status(), period, start,
                    s.calls.sum(), s.score.sum(), s.nanos.sum() / 1e9)));
        }
        store.addStats(rows);
    }

    static long periodStart(String period, Instant now) {
        ZonedDateTime t = now.atZone(ZoneOffset.UTC);
        ZonedDateTime start = switch (period) {
            case "hour" -> t.truncatedTo(ChronoUnit.HOURS);
            case "day" -> t.truncatedTo(ChronoUnit.DAYS);
            case "week" -> t.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case "month" -> LocalDate.of(t.getYear(), t.getMonth(), 1).atStartOfDay(ZoneOffset.UTC);
            case "year" -> LocalDate.of(t.getYear(), 1, 1).atStartOfDay(ZoneOffset.UTC);
            default -> throw new IllegalArgumentException(period);
        };
        return start.toEpochSecond();
    }
}
