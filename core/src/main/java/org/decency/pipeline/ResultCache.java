package org.decency.pipeline;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.decency.config.ConfigNode;
import org.decency.core.Outcome;
import org.decency.core.Score;

/**
 * A module's result cache ({@code result_cache:}), as policyd-weight keeps one: the
 * outcome of a check that asks the network is reused for the same client, sender and
 * HELO (what the check's {@link org.decency.core.Check#cacheKey} names) for a while —
 * longer for a hit (a spam score or a refusal) than for a miss. Outcomes that rest on a
 * passing failure ({@link Outcome#temporary()}) are never kept. Kept in this process,
 * bounded in size. Reused scores say {@code [cached]} in their detail.
 *
 * <pre>{@code
 * - DNSBL:
 *     result_cache: {hit_ttl: 30m, miss_ttl: 10m, size: 20000}
 * }</pre>
 */
public final class ResultCache {
    private record Entry(Outcome outcome, Duration ttl) {}

    /** @param size the most outcomes kept */
    public record Settings(Duration hitTtl, Duration missTtl, long size) {
        static Settings read(ConfigNode n) {
            Settings s = new Settings(n.duration("hit_ttl", Duration.ofMinutes(30)), n.duration("miss_ttl", Duration.ofMinutes(10)),
                    n.integer("size", 20_000));
            if (s.size() < 1) throw n.required("size").error("must be at least 1");
            n.finish();
            return s;
        }
    }

    private final Settings settings;
    private final Cache<String, Entry> cache;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    public ResultCache(Settings settings, Clock clock) {
        this.settings = settings;
        this.cache = Caffeine.newBuilder()
                .maximumSize(settings.size())
                .ticker(() -> clock.millis() * 1_000_000L)
                .expireAfter(Expiry.creating((String k, Entry e) -> e.ttl()))
                .executor(Runnable::run)
                .build();
    }

    /** The outcome kept for {@code key}, its scores marked as reused; null when none. */
    Outcome get(String key) {
        Entry e = cache.getIfPresent(key);
        if (e == null) {
            misses.increment();
            return null;
        }
        hits.increment();
        List<Score> marked = new ArrayList<>(e.outcome().scores().size());
        for (Score s : e.outcome().scores()) marked.add(new Score(s.code(), s.delta(), s.detail().isEmpty() ? "[cached]" : s.detail() + " [cached]"));
        return e.outcome().withScores(marked);
    }

    /** Keeps {@code o} for {@code key}, unless it rests on a passing failure. */
    void put(String key, Outcome o) {
        if (o.temporary()) return;
        boolean hit = o.total() < 0 || (o.finalWord() != null && o.finalWord().action().refuses());
        Duration ttl = hit ? settings.hitTtl() : settings.missTtl();
        if (!ttl.isZero()) cache.put(key, new Entry(o, ttl));
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }
}
