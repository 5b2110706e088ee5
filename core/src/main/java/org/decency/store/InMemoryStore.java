package org.decency.store;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A store that keeps everything in memory and forgets it on exit. The embedded
 * store builds on it; tests of checks use it directly with a controllable clock.
 */
public class InMemoryStore implements Store {

    /** A value and the epoch millisecond it expires at. */
    public record Entry(String value, long expiresAt) {}

    protected final ConcurrentHashMap<String, Entry> map = new ConcurrentHashMap<>();
    protected final Clock clock;
    private final MemoryLists lists = new MemoryLists();
    /** The counter tables by name ({@link #counterTable}). */
    protected final ConcurrentHashMap<String, MemoryCounterTable> counterTables = new ConcurrentHashMap<>();
    private final List<StatsRow> stats = new CopyOnWriteArrayList<>();

    public InMemoryStore(Clock clock) {
        this.clock = clock;
    }

    protected long now() {
        return clock.millis();
    }

    private boolean live(Entry e) {
        return e != null && e.expiresAt() > now();
    }

    @Override
    public Optional<String> get(String key) {
        Entry e = map.get(key);
        return live(e) ? Optional.of(e.value()) : Optional.empty();
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        Entry e = new Entry(value, now() + ttl.toMillis());
        map.put(key, e);
        written(key, e);
    }

    @Override
    public boolean putIfAbsent(String key, String value, Duration ttl) {
        boolean[] set = {false};
        Entry result = map.compute(key, (k, old) -> {
            if (live(old)) return old;
            set[0] = true;
            return new Entry(value, now() + ttl.toMillis());
        });
        if (set[0]) written(key, result);
        return set[0];
    }

    @Override
    public boolean delete(String key) {
        Entry old = map.remove(key);
        if (old != null) written(key, null);
        return live(old);
    }

    @Override
    public long increment(String key, long delta, Duration ttl) {
        Entry e = map.compute(key, (k, old) -> {
            if (!live(old)) return new Entry(Long.toString(delta), now() + ttl.toMillis());
            long v;
            try {
                v = Long.parseLong(old.value());
            } catch (NumberFormatException ex) {
                v = 0;
            }
            return new Entry(Long.toString(v + delta), old.expiresAt());
        });
        written(key, e);
        return Long.parseLong(e.value());
    }

    @Override
    public java.util.Map<String, String> getAll(java.util.Collection<String> keys) {
        java.util.Map<String, String> out = new java.util.HashMap<>(keys.size() * 2);
        long t = now();
        for (String k : keys) {
            Entry e = map.get(k);
            if (e != null && e.expiresAt() > t) out.put(k, e.value());
        }
        return out;
    }

    @Override
    public String[] getEach(List<String> keys) {
        String[] out = new String[keys.size()];
        long t = now();
        for (int i = 0; i < out.length; i++) {
            Entry e = map.get(keys.get(i));
            if (e != null && e.expiresAt() > t) out[i] = e.value();
        }
        return out;
    }

    /** One update a counter: the sum and the renewed lifetime together. */
    @Override
    public void incrementAll(java.util.Map<String, Long> deltas, Duration ttl) {
        long t = now();
        long expires = t + ttl.toMillis();
        for (java.util.Map.Entry<String, Long> d : deltas.entrySet()) add(d.getKey(), d.getValue(), t, expires);
    }

    @Override
    public void incrementEach(java.util.Collection<String> keys, long delta, Duration ttl) {
        long t = now();
        long expires = t + ttl.toMillis();
        for (String k : keys) add(k, delta, t, expires);
    }

    /** Adds {@code delta} to the counter {@code key} (0 if absent or expired at {@code t}) and sets its expiry. */
    private void add(String key, long delta, long t, long expires) {
        Entry e = map.compute(key, (k, old) -> new Entry(Long.toString(counter(old, t) + delta), expires));
        written(key, e);
    }

    private static long counter(Entry old, long t) {
        if (old == null || old.expiresAt() <= t) return 0;
        try {
            return Long.parseLong(old.value());
        } catch (NumberFormatException ex) {
            return 0;
        }
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        Entry e = map.computeIfPresent(key, (k, old) -> live(old) ? new Entry(old.value(), now() + ttl.toMillis()) : old);
        if (e == null || !live(e)) return false;
        written(key, e);
        return true;
    }

    /** The table {@code name}, a primitive hash table in memory: made on first use, the same one after. */
    @Override
    public CounterTable counterTable(String name) {
        return counterTables.computeIfAbsent(name, this::newCounterTable);
    }

    /** A new, empty table {@code name}; persistent subclasses track its changes and fill it. */
    protected MemoryCounterTable newCounterTable(String name) {
        return new MemoryCounterTable(clock, false);
    }

    /** Drops expired entries and counters (of the {@link #counterTable}s); returns how many. */
    public int sweep() {
        long t = now();
        int[] n = {0};
        for (MemoryCounterTable table : counterTables.values()) n[0] += table.sweep();
        map.forEach((k, e) -> {
            if (e.expiresAt() <= t && map.remove(k, e)) {
                n[0]++;
                written(k, null);
            }
        });
        return n[0];
    }

    /** Hook for persistent subclasses: {@code entry} null means deleted. */
    protected void written(String key, Entry entry) {}

    @Override
    public ListStore lists() {
        return lists;
    }

    @Override
    public void addStats(List<StatsRow> rows) {
        stats.addAll(rows);
    }

    /** The statistics rows added so far (not summed). */
    public List<StatsRow> statsRows() {
        return new ArrayList<>(stats);
    }

    @Override
    public List<StatsRow> readStats(String server, String period, long fromStart, long toStart) {
        return sum(stats.stream().filter(r -> (server == null || r.server().equals(server)) && r.period().equals(period)
                && r.start() >= fromStart && r.start() <= toStart).toList());
    }

    /** Rows summed per key, in the order their keys first appear. */
    public static List<StatsRow> sum(List<StatsRow> rows) {
        java.util.LinkedHashMap<String, StatsRow> byKey = new java.util.LinkedHashMap<>();
        for (StatsRow r : rows) byKey.merge(r.key(), r, StatsRow::plus);
        return new ArrayList<>(byKey.values());
    }

    @Override
    public int pruneStats(String server, String period, long beforeStart) {
        List<StatsRow> old = stats.stream().filter(r -> r.server().equals(server) && r.period().equals(period)
                && r.start() < beforeStart).toList();
        stats.removeAll(old);
        return (int) old.stream().map(StatsRow::key).distinct().count();
    }

    @Override
    public int sweepExpired() {
        return sweep();
    }

    @Override
    public void close() {}

    static final class MemoryLists implements ListStore {
        private final CopyOnWriteArrayList<ListEntry> entries = new CopyOnWriteArrayList<>();
        private final AtomicLong version = new AtomicLong();

        @Override
        public boolean add(ListEntry entry) {
            boolean added = entries.addIfAbsent(entry);
            if (added) version.incrementAndGet();
            return added;
        }

        @Override
        public boolean remove(ListEntry entry) {
            boolean removed = entries.remove(entry);
            if (removed) version.incrementAndGet();
            return removed;
        }

        @Override
        public List<ListEntry> entries(String list) {
            return entries.stream().filter(e -> e.list().equalsIgnoreCase(list)).toList();
        }

        @Override
        public long version() {
            return version.get();
        }
    }
}
