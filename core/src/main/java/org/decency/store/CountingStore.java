package org.decency.store;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A store that counts its failures, per operation and kind ({@code unavailable}: the
 * backend could not be reached in time; {@code error}: it answered with an error), and
 * otherwise passes every call through unchanged, the exception included. The servers
 * wrap their store in one so the metrics show store errors wherever they happened: in a
 * check, a statistics flush, the maintenance or the score forwarding.
 */
public final class CountingStore implements Store {

    /** One counted kind of failure. */
    public record Failure(String operation, String kind) {}

    private final Store delegate;
    private final ConcurrentHashMap<Failure, LongAdder> failures = new ConcurrentHashMap<>();
    private final ListStore lists;

    public CountingStore(Store delegate) {
        this.delegate = delegate;
        this.lists = new CountingLists(delegate);
    }

    /** The store it counts for. */
    @Override
    public boolean remote() {
        return delegate.remote();
    }

    public Store delegate() {
        return delegate;
    }

    /** Failures so far, by operation and kind. */
    public Map<Failure, Long> failures() {
        Map<Failure, Long> m = new TreeMap<>(java.util.Comparator.comparing(Failure::operation).thenComparing(Failure::kind));
        failures.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    private <T> T counted(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (StoreException e) {
            String kind = e instanceof StoreUnavailableException ? "unavailable" : "error";
            failures.computeIfAbsent(new Failure(operation, kind), k -> new LongAdder()).increment();
            throw e;
        }
    }

    @Override
    public Optional<String> get(String key) {
        return counted("get", () -> delegate.get(key));
    }

    @Override
    public java.util.Map<String, String> getAll(java.util.Collection<String> keys) {
        return counted("get_all", () -> delegate.getAll(keys));
    }

    @Override
    public String[] getEach(java.util.List<String> keys) {
        return counted("get_all", () -> delegate.getEach(keys));
    }

    @Override
    public void incrementEach(java.util.Collection<String> keys, long delta, Duration ttl) {
        counted("increment_all", () -> {
            delegate.incrementEach(keys, delta, ttl);
            return null;
        });
    }

    @Override
    public void incrementAll(java.util.Map<String, Long> deltas, Duration ttl) {
        counted("increment_all", () -> {
            delegate.incrementAll(deltas, ttl);
            return null;
        });
    }

    @Override
    public CounterTable counterTable(String name) {
        CounterTable table = delegate.counterTable(name);
        return new CounterTable() {
            @Override
            public long[] get(long[] ids) {
                return counted("get_all", () -> table.get(ids));
            }

            @Override
            public void add(long[] ids, long delta, Duration ttl) {
                counted("increment_all", () -> {
                    table.add(ids, delta, ttl);
                    return null;
                });
            }
        };
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        counted("put", () -> {
            delegate.put(key, value, ttl);
            return null;
        });
    }

    @Override
    public boolean putIfAbsent(String key, String value, Duration ttl) {
        return counted("put_if_absent", () -> delegate.putIfAbsent(key, value, ttl));
    }

    @Override
    public boolean delete(String key) {
        return counted("delete", () -> delegate.delete(key));
    }

    @Override
    public long increment(String key, long delta, Duration ttl) {
        return counted("increment", () -> delegate.increment(key, delta, ttl));
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        return counted("expire", () -> delegate.expire(key, ttl));
    }

    @Override
    public ListStore lists() {
        return lists;
    }

    @Override
    public void addStats(List<StatsRow> rows) {
        counted("add_stats", () -> {
            delegate.addStats(rows);
            return null;
        });
    }

    @Override
    public List<StatsRow> readStats(String server, String period, long fromStart, long toStart) {
        return counted("read_stats", () -> delegate.readStats(server, period, fromStart, toStart));
    }

    @Override
    public int pruneStats(String server, String period, long beforeStart) {
        return counted("prune_stats", () -> delegate.pruneStats(server, period, beforeStart));
    }

    @Override
    public int sweepExpired() {
        return counted("sweep", delegate::sweepExpired);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }

    private final class CountingLists implements ListStore {
        private final Store store;

        CountingLists(Store store) {
            this.store = store;
        }

        @Override
        public boolean add(ListEntry entry) {
            return counted("list_add", () -> store.lists().add(entry));
        }

        @Override
        public boolean remove(ListEntry entry) {
            return counted("list_remove", () -> store.lists().remove(entry));
        }

        @Override
        public List<ListEntry> entries(String list) {
            return counted("list_read", () -> store.lists().entries(list));
        }

        @Override
        public long version() {
            return counted("list_version", () -> store.lists().version());
        }
    }
}
