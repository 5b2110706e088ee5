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

    private static final class Sums {
        final LongAdder calls = new LongAdder();
        final DoubleAdder score = new DoubleAdder();
        final LongAdder nanos = new LongAdder();
    }

    /** What was counted since the last flush: per module, and per answer and module. */
    private static final class Window {
        final ConcurrentHashMap<String, Sums> performance = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, ConcurrentHashMap<String, Sums>> responses = new ConcurrentHashMap<>();

        static Sums sums(ConcurrentHashMap<String, Sums> map, String key) {
            Sums s = map.get(key); // the common case: no allocation, no lock
            return s != null ? s : map.computeIfAbsent(key, k -> new Sums());
        }
    }

    private final String server;
    private final List<String> periods;
    private final Clock clock;
    private final Store store;
    private volatile Window current = new Window();

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
        Sums s = Window.sums(current.performance, module);
        s.calls.increment();
        s.score.add(score);
        s.nanos.add(nanos);
    }

    void decision(List<Module> asked, Verdict verdict) {
        // as the seeds did: a literal reply counts under its code (450, 554), not as "REPLY"
        String status = verdict.action() == Action.REPLY ? verdict.text().substring(0, 3) : verdict.action().name();
        Window w = current;
        ConcurrentHashMap<String, Sums> byModule = w.responses.get(status);
        if (byModule == null) byModule = w.responses.computeIfAbsent(status, k -> new ConcurrentHashMap<>());
        for (Module m : asked) Window.sums(byModule, m.name()).calls.increment();
        Window.sums(byModule, "*").calls.increment();
    }

    /** Writes what was counted since the last flush. */
    public void flush() {
        Window done = current;
        current = new Window();
        if (done.performance.isEmpty() && done.responses.isEmpty()) return;
        Instant now = clock.instant();
        List<StatsRow> rows = new ArrayList<>();
        for (String period : periods) {
            long start = periodStart(period, now);
            done.performance.forEach((module, s) -> rows.add(new StatsRow(server, "performance", module, "", period, start,
                    s.calls.sum(), s.score.sum(), s.nanos.sum() / 1e9)));
            done.responses.forEach((status, byModule) -> byModule.forEach((module, s) -> rows.add(new StatsRow(server,
                    "response", module, status, period, start, s.calls.sum(), 0, 0))));
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
