package org.decency.store;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where checks keep state that must outlive a request: greylist triplets, throttle
 * counters, honeypot marks, AWL counts, list entries and statistics. Deliberately
 * narrow (key/value with TTL, counters, a list table, stats rows) so that an embedded
 * store, Redis and PostgreSQL can all implement it. Every method is thread-safe and,
 * for the embedded store, answers from memory without blocking on disk.
 *
 * <p>The shared backends (Redis, PostgreSQL) throw {@link StoreUnavailableException} when
 * the backend is down or a call exceeds its timeout, and {@link StoreException} for other
 * backend errors; a store never answers a made-up default instead.
 */
public interface Store extends AutoCloseable {

    Optional<String> get(String key);

    /** Sets {@code key}, replacing any value, to expire after {@code ttl}. */
    void put(String key, String value, Duration ttl);

    /** Sets {@code key} only if it is absent (or expired); true when it was set. */
    boolean putIfAbsent(String key, String value, Duration ttl);

    /** Removes {@code key}; true when it was there. */
    boolean delete(String key);

    /**
     * Adds {@code delta} to the counter at {@code key} and returns the new value. A new
     * counter starts at 0 and expires after {@code ttl}; an existing one keeps its expiry.
     */
    long increment(String key, long delta, Duration ttl);

    /**
     * Renews the expiry of {@code key} to {@code ttl} from now, keeping its value (a
     * sliding lifetime for counters that {@link #increment} keeps fixed); false when
     * the key is absent or expired.
     */
    boolean expire(String key, Duration ttl);

    /**
     * The live values of {@code keys}, absent and expired keys left out: many keys at once
     * (a classifier's tokens). The default asks key by key; a backend with a network round
     * trip answers in one.
     */
    default Map<String, String> getAll(Collection<String> keys) {
        Map<String, String> out = new HashMap<>();
        for (String k : keys) get(k).ifPresent(v -> out.put(k, v));
        return out;
    }

    /**
     * Adds each delta to its counter (as {@link #increment}) and renews each counter's
     * lifetime to {@code ttl} from now, so counters in use stay and the others expire. Each
     * counter changes atomically; the batch as a whole does not.
     */
    default void incrementAll(Map<String, Long> deltas, Duration ttl) {
        for (Map.Entry<String, Long> e : deltas.entrySet()) {
            increment(e.getKey(), e.getValue(), ttl);
            expire(e.getKey(), ttl);
        }
    }

    /**
     * The live values of {@code keys} in their order, {@code null} for an absent or expired
     * key: {@link #getAll} without building a map, for callers that look up hundreds of keys
     * per request (a classifier's tokens). The default answers through {@link #getAll}.
     */
    default String[] getEach(List<String> keys) {
        Map<String, String> found = getAll(keys);
        String[] out = new String[keys.size()];
        for (int i = 0; i < out.length; i++) out[i] = found.get(keys.get(i));
        return out;
    }

    /**
     * {@link #incrementAll} with the same {@code delta} for every key in {@code keys}
     * (distinct keys): a classifier's lesson adds one to each of a mail's tokens. The default
     * answers through {@link #incrementAll}.
     */
    default void incrementEach(Collection<String> keys, long delta, Duration ttl) {
        Map<String, Long> deltas = new HashMap<>(keys.size() * 2);
        for (String k : keys) deltas.put(k, delta);
        incrementAll(deltas, ttl);
    }

    /**
     * The table of numeric counters called {@code name} (a classifier's token counts, keyed by
     * the tokens' hashes): the store's own primitive table where it keeps one (the in-memory
     * and embedded stores; the same table for the same name), otherwise the store's counters
     * under the keys {@code <name><id in 11 characters>} ({@link KeyedCounterTable}), which
     * every instance on a shared store sees.
     */
    default CounterTable counterTable(String name) {
        return new KeyedCounterTable(this, name);
    }

    /** The white/black list entries (CWL, CBL) kept in the database. */
    ListStore lists();

    /** Adds statistics rows (summed into the existing rows of the same key). */
    void addStats(List<StatsRow> rows);

    /**
     * The statistics rows of {@code period} whose start lies between {@code fromStart} and
     * {@code toStart} (inclusive), one per key, summed; of {@code server} only, or of every
     * server when it is null. For {@code decency stats}.
     */
    List<StatsRow> readStats(String server, String period, long fromStart, long toStart);

    /**
     * Deletes the statistics rows of {@code server} and {@code period} that start before
     * {@code beforeStart} (the statistics retention); returns how many rows went (on Redis:
     * how many period hashes).
     */
    int pruneStats(String server, String period, long beforeStart);

    /**
     * Deletes expired key/value entries (greylist triplets, throttle counters, AWL counts,
     * marks past their lifetime) where the backend does not do so itself; returns how many
     * went. Expired entries are invisible at once anyway: this only frees their room. Redis
     * expires keys itself (0).
     */
    int sweepExpired();

    /**
     * True when calls go over the network (Redis, PostgreSQL) and so wait for a reply:
     * a front door on an event loop must not run checks that use this store there.
     */
    default boolean remote() {
        return false;
    }

    @Override
    void close();
}
