package org.decency.store;

import java.time.Duration;

/**
 * Numeric counters keyed by 64-bit ids, each with a lifetime: a classifier's token counts,
 * keyed by the tokens' hashes. A store that keeps such counters natively (the in-memory and
 * embedded stores: a primitive hash table, no key strings) offers its own through {@link
 * Store#counterTable}; the others (Redis, PostgreSQL) answer through {@link
 * KeyedCounterTable}, one key per counter, so many machines share the counters.
 */
public interface CounterTable {

    /** The live values of {@code ids}, in their order; 0 for an absent or expired counter. */
    long[] get(long[] ids);

    /**
     * Adds {@code delta} to the counter of each of {@code ids} (distinct ids; an absent or
     * expired counter starts at 0) and renews each one's lifetime to {@code ttl} from now, so
     * counters in use stay and the others expire. Each counter changes atomically; the batch
     * as a whole does not.
     */
    void add(long[] ids, long delta, Duration ttl);
}
