package org.decency.pipeline;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.decency.core.Action;
import org.decency.core.Verdict;
import org.decency.store.StatsRow;
import org.decency.store.Store;

/**
 * The seeds' {@code stats:}: counts, in memory, per module its calls, hits, final words,
 * score and runtime with a latency histogram ({@code module_performance}), per module and
 * final answer how often it was asked ({@code module_results}), and per final state of the
 * server how many mails ended so ({@code final_state}); {@link #flush()} hands them to the
 * store as {@link StatsRow}s for every configured period (hour, day, week, month, year;
 * UTC). The server flushes every few seconds and at shutdown. Recording is lock-free so it
 * costs the hot path almost nothing.
 */
public final class StatsRecorder implements PipelineObserver {
    public static final List<String> ALL_PERIODS = List.of("hour", "day", "week", "month", "year");
    /** The seeds' {@code enable:} names. */
    public static final String MODULE_PERFORMANCE = "module_performance";
    public static final String MODULE_RESULTS = "module_results";
    public static final String FINAL_STATE = "final_state";
    public static final List<String> ALL_TABLES = List.of(MODULE_RESULTS, MODULE_PERFORMANCE, FINAL_STATE);

    private static final class Perf {
        final LongAdder calls = new LongAdder();
        final LongAdder hits = new LongAdder();
        final LongAdder finals = new LongAdder();
        final LongAdder rejects = new LongAdder();
        final DoubleAdder score = new DoubleAdder();
        final LongAdder nanos = new LongAdder();
        final AtomicLongArray buckets = new AtomicLongArray(LatencyBuckets.COUNT);
    }

    /** What was counted since the last flush. */
    private static final class Window {
        final ConcurrentHashMap<String, Perf> performance = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, ConcurrentHashMap<String, LongAdder>> responses = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, LongAdder> finalStates = new ConcurrentHashMap<>();

        static <V> V get(ConcurrentHashMap<String, V> map, String key, java.util.function.Supplier<V> make) {
            V v = map.get(key); // the common case: no allocation, no lock
            return v != null ? v : map.computeIfAbsent(key, k -> make.get());
        }

        boolean isEmpty() {
            return performance.isEmpty() && responses.isEmpty() && finalStates.isEmpty();
        }
    }

    private final String server;
    private final List<String> periods;
    private final Set<String> tables;
    private final StatsRetention retention;
    private final Clock clock;
    private final Store store;
    private volatile Window current = new Window();

    public StatsRecorder(String server, List<String> periods, Clock clock, Store store) {
        this(server, periods, ALL_TABLES, StatsRetention.DEFAULTS, clock, store);
    }

    /**
     * @param tables    which of {@link #ALL_TABLES} to write
     * @param retention how many periods of each kind maintenance keeps
     */
    public StatsRecorder(String server, List<String> periods, List<String> tables, StatsRetention retention, Clock clock, Store store) {
        for (String p : periods) {
            if (!ALL_PERIODS.contains(p)) throw new IllegalArgumentException("unknown stats period " + p + "; expected one of " + ALL_PERIODS);
        }
        for (String t : tables) {
            if (!ALL_TABLES.contains(t)) throw new IllegalArgumentException("unknown stats table " + t + "; expected one of " + ALL_TABLES);
        }
        this.server = server;
        this.periods = List.copyOf(periods);
        this.tables = Set.copyOf(tables);
        this.retention = retention;
        this.clock = clock;
        this.store = store;
    }

    public String server() {
        return server;
    }

    public List<String> periods() {
        return periods;
    }

    public StatsRetention retention() {
        return retention;
    }

    public Store store() {
        return store;
    }

    @Override
    public void checked(String module, double score, Action finalWord, long nanos) {
        if (!tables.contains(MODULE_PERFORMANCE)) return;
        Perf p = Window.get(current.performance, module, Perf::new);
        p.calls.increment();
        if (score != 0) p.hits.increment();
        if (finalWord != null) {
            p.finals.increment();
            if (finalWord.refuses()) p.rejects.increment();
        }
        p.score.add(score);
        p.nanos.add(nanos);
        p.buckets.incrementAndGet(LatencyBuckets.index(nanos));
    }

    @Override
    public void decided(List<Module> asked, Verdict verdict) {
        if (!tables.contains(MODULE_RESULTS) || asked.isEmpty()) return;
        ConcurrentHashMap<String, LongAdder> byModule = Window.get(current.responses, FinalStates.status(verdict), ConcurrentHashMap::new);
        for (Module m : asked) Window.get(byModule, m.name(), LongAdder::new).increment();
    }

    @Override
    public void finalState(String state) {
        if (!tables.contains(FINAL_STATE)) return;
        Window.get(current.finalStates, state, LongAdder::new).increment();
    }

    /** Writes what was counted since the last flush. */
    public void flush() {
        Window done = current;
        current = new Window();
        if (done.isEmpty()) return;
        Instant now = clock.instant();
        List<StatsRow> rows = new ArrayList<>();
        for (String period : periods) {
            long start = periodStart(period, now);
            done.performance.forEach((module, p) -> {
                long[] b = new long[LatencyBuckets.COUNT];
                for (int i = 0; i < b.length; i++) b[i] = p.buckets.get(i);
                rows.add(new StatsRow(server, StatsRow.PERFORMANCE, module, "", period, start, p.calls.sum(), p.hits.sum(),
                        p.finals.sum(), p.rejects.sum(), p.score.sum(), p.nanos.sum() / 1e9, b));
            });
            done.responses.forEach((status, byModule) -> byModule.forEach((module, n) -> rows.add(new StatsRow(server,
                    StatsRow.RESPONSE, module, status, period, start, n.sum(), 0, 0))));
            for (Map.Entry<String, LongAdder> e : done.finalStates.entrySet()) {
                rows.add(new StatsRow(server, StatsRow.FINAL_STATE, "", e.getKey(), period, start, e.getValue().sum(), 0, 0));
            }
        }
        store.addStats(rows);
    }

    /** The first epoch second of the period that holds {@code now} (UTC; weeks start on Monday). */
    public static long periodStart(String period, Instant now) {
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

    /** The start of the period {@code n} periods after the one starting at {@code start} (n may be negative). */
    public static long shift(String period, long start, long n) {
        ZonedDateTime t = Instant.ofEpochSecond(start).atZone(ZoneOffset.UTC);
        ZonedDateTime moved = switch (period) {
            case "hour" -> t.plusHours(n);
            case "day" -> t.plusDays(n);
            case "week" -> t.plusWeeks(n);
            case "month" -> t.plusMonths(n);
            case "year" -> t.plusYears(n);
            default -> throw new IllegalArgumentException(period);
        };
        return moved.toEpochSecond();
    }
}
