package org.decency.checks.classifier.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.decency.checks.engine.Trainable.Lesson;
import org.decency.store.Store;

/**
 * A {@link LogisticModel}'s weights in the {@link Store}, each a fixed-point counter (the
 * weight times 2<sup>20</sup>): a training step changes every token of a mail by the same
 * amount, which is one {@code incrementEach} on every backend, atomic per key, so several
 * Decency instances can learn into one model. Keys:
 * <ul>
 * <li>{@code <prefix><model>:<token>}: the token's weight;</li>
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
    private static final char[] DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

    private final Store store;
    private final String prefix;
    private final Duration ttl;

    WeightStore(Store store, String prefix, Duration ttl) {
        this.store = store;
        this.prefix = prefix;
        this.ttl = ttl;
    }

    /** The sum of the weights of {@code tokens} and how many of them have one. */
    record Sum(double weight, int known) {}

    Sum sum(String model, long[] tokens) {
        String[] found = store.getEach(keys(model, tokens));
        long total = 0;
        int known = 0;
        for (String v : found) {
            if (v == null) continue;
            try {
                total += Long.parseLong(v);
                known++;
            } catch (NumberFormatException ignored) {
                // not a weight: as if never learnt
            }
        }
        return new Sum(total / SCALE, known);
    }

    /** Adds {@code delta} (fixed point) to the weight of every token and to the mail's steps. */
    void add(String model, long[] tokens, String mail, long delta) {
        List<String> keys = keys(model, tokens);
        keys.add(stepsKey(model, mail));
        store.incrementEach(keys, delta, ttl);
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

    /** The tokens' keys (11 characters of each 64-bit hash, as the counting model's), with room for one more. */
    private List<String> keys(String model, long[] tokens) {
        String p = prefix + model + ":";
        int pl = p.length();
        List<String> keys = new ArrayList<>(tokens.length + 1);
        char[] buf = new char[pl + 11];
        p.getChars(0, pl, buf, 0);
        for (long t : tokens) {
            for (int i = 0; i < 11; i++) buf[pl + i] = DIGITS[(int) (t >>> (i * 6)) & 63];
            keys.add(new String(buf));
        }
        return keys;
    }

    private static String name(Lesson l) {
        return l.name().toLowerCase(Locale.ROOT);
    }
}
