package org.decency.store.split;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.decency.store.ListStore;
import org.decency.store.StatsRow;
import org.decency.store.Store;

/**
 * Two stores as one, as the seeds split them: the <b>cache</b> (Redis) holds the
 * key/value state and counters (greylist, throttle, honeypot marks, AWL, Doorman scores,
 * result caches); the <b>database</b> (PostgreSQL or the embedded file) holds the lists
 * and the statistics. Closing it closes both.
 */
public final class SplitStore implements Store {
    private final Store cache;
    private final Store database;

    @Override
    public boolean remote() {
        return cache.remote() || database.remote();
    }

    public SplitStore(Store cache, Store database) {
        this.cache = cache;
        this.database = database;
    }

    public Store cache() {
        return cache;
    }

    public Store database() {
        return database;
    }

    @Override
    public Optional<String> get(String key) {
        return cache.get(key);
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        cache.put(key, value, ttl);
    }

    @Override
    public boolean putIfAbsent(String key, String value, Duration ttl) {
        return cache.putIfAbsent(key, value, ttl);
    }

    @Override
    public boolean delete(String key) {
        return cache.delete(key);
    }

    @Override
    public long increment(String key, long delta, Duration ttl) {
        return cache.increment(key, delta, ttl);
    }

    @Override
    public java.util.Map<String, String> getAll(java.util.Collection<String> keys) {
        return cache.getAll(keys);
    }

    @Override
    public void incrementAll(java.util.Map<String, Long> deltas, Duration ttl) {
        cache.incrementAll(deltas, ttl);
    }

    @Override
    public String[] getEach(java.util.List<String> keys) {
        return cache.getEach(keys);
    }

    @Override
    public org.decency.store.CounterTable counterTable(String name) {
        return cache.counterTable(name);
    }

    @Override
    public void incrementEach(java.util.Collection<String> keys, long delta, Duration ttl) {
        cache.incrementEach(keys, delta, ttl);
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        return cache.expire(key, ttl);
    }

    @Override
    public ListStore lists() {
        return database.lists();
    }

    @Override
    public void addStats(List<StatsRow> rows) {
        database.addStats(rows);
    }

    @Override
    public List<StatsRow> readStats(String server, String period, long fromStart, long toStart) {
        return database.readStats(server, period, fromStart, toStart);
    }

    @Override
    public int pruneStats(String server, String period, long beforeStart) {
        return database.pruneStats(server, period, beforeStart);
    }

    /** The cache's expired entries (the database keeps none of its own here, but sweeping it costs little). */
    @Override
    public int sweepExpired() {
        return cache.sweepExpired() + database.sweepExpired();
    }

    @Override
    public void close() {
        try {
            cache.close();
        } finally {
            database.close();
        }
    }

    @Override
    public String toString() {
        return "cache " + cache + ", database " + database;
    }
}
