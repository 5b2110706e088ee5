package org.decency.checks.classifier.model;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.decency.checks.engine.Trainable.Lesson;
import org.decency.store.CounterTable;
import org.decency.store.Store;

/**
 * A {@link LogisticModel}'s weights in the {@link Store}, each a fixed-point counter (the
 * weight times 2<sup>20</sup>): a training step changes every token of a mail by the same
 * amount, which is one {@code incrementEach} on every backend, atomic per key, so several
 * Decency instances can learn into one model. Keys:
 * <ul>
 * <li>the store's {@link CounterTable} {@code <prefix><model>:}, keyed by the tokens' 64-bit
 * hashes: each token's weight (on the shared stores the keys {@code <prefix><model>:<token>},
 * 11 characters of its hash; in the embedded store a table of numbers); a weight of exactly
 * 0 counts as not learnt;</li>
 * <li>{@code <prefix><model>:#}: the model's lesson totals ({@link Counts});</li>
 * <li>{@code <prefix><model>:m:<mail>}: {@code spam} or {@code ham}, what a mail (by the hash
 * of its tokens) was taught as;</li>
 * <li>{@code <prefix><model>:d:<mail>}: the sum of the steps taken for that mail, so
 * forgetting it takes exactly those back.</li>
 * </ul>
 * Every change renews the keys' lifetime to {@code ttl}, as the counting model's.
 */
final class WeightStore {
    static final double SCALE = 1 << 20;

    private final Store store;
    private final String prefix;
    private final Duration ttl;
    private final ConcurrentHashMap<String, CounterTable> tables = new ConcurrentHashMap<>();

    WeightStore(Store store, String prefix, Duration ttl) {
        this.store = store;
        this.prefix = prefix;
        this.ttl = ttl;
    }

    /** The sum of the weights of {@code tokens} and how many of them have one. */
    record Sum(double weight, int known) {}

    Sum sum(String model, long[] tokens) {
        long total = 0;
        int known = 0;
        for (long w : table(model).get(tokens)) {
            if (w == 0) continue;
            total += w;
            known++;
        }
        return new Sum(total / SCALE, known);
    }

    /** Adds {@code delta} (fixed point) to the weight of every token and to the mail's steps. */
    void add(String model, long[] tokens, String mail, long delta) {
        table(model).add(tokens, delta, ttl);
        store.incrementEach(List.of(stepsKey(model, mail)), delta, ttl);
    }

    private CounterTable table(String model) {
        return tables.computeIfAbsent(model, m -> store.counterTable(prefix + m + ":"));
    }

    /** The sum of the steps taken for the mail (fixed point). */
    long steps(String model, String mail) {
        return store.get(stepsKey(model, mail)).map(Long::parseLong).orElse(0L);
    }

    Optional<Lesson> taught(String model, String mail) {
        return store.get(markKey(model, mail)).map(v -> Lesson.valueOf(v.toUpperCase(Locale.ROOT)));
    }

    /** Marks a new mail as taught; false when another lesson of it got there first. */
    boolean markNew(String model, String mail, Lesson lesson) {
        return store.putIfAbsent(markKey(model, mail), name(lesson), ttl);
    }

    void mark(String model, String mail, Lesson lesson) {
        store.put(markKey(model, mail), name(lesson), ttl);
    }

    void unmark(String model, String mail) {
        store.delete(markKey(model, mail));
        store.delete(stepsKey(model, mail));
    }

    Counts totals(String model) {
        return Counts.parse(store.get(totalsKey(model)).orElse(null));
    }

    void count(String model, long spam, long ham) {
        store.incrementEach(List.of(totalsKey(model)), Counts.delta(spam, ham), ttl);
    }

    private String totalsKey(String model) {
        return prefix + model + ":#";
    }

    private String markKey(String model, String mail) {
        return prefix + model + ":m:" + mail;
    }

    private String stepsKey(String model, String mail) {
        return prefix + model + ":d:" + mail;
    }

    private static String name(Lesson l) {
        return l.name().toLowerCase(Locale.ROOT);
    }
}
