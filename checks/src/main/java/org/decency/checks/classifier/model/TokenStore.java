package org.decency.checks.classifier.model;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.decency.checks.engine.NothingLearnedException;
import org.decency.checks.engine.Trainable.Lesson;
import org.decency.store.CounterTable;
import org.decency.store.Store;

/**
 * A model's token counts, kept in the {@link Store} so every Decency instance on a shared
 * store (Redis, PostgreSQL) classifies with and learns into the same model:
 * <ul>
 * <li>the store's {@link CounterTable} {@code <prefix><model>:}, keyed by the tokens' 64-bit
 * hashes: each token's {@link Counts} (on the shared stores the keys {@code
 * <prefix><model>:<token>}, 11 characters of its hash; in the embedded store a table of
 * numbers);</li>
 * <li>{@code <prefix><model>:#}: the model's lesson totals;</li>
 * <li>{@code <prefix><model>:m:<mail>}: {@code spam} or {@code ham}, what a mail (by the hash
 * of its tokens) was taught as, so a lesson is not counted twice, a mail taught as the wrong
 * class moves, and only what was taught can be forgotten.</li>
 * </ul>
 * Every lesson renews the lifetime of the counters it touches to {@code ttl}: a token no
 * lesson has seen for that long (the rare ones: most tokens occur in one mail only) expires,
 * which keeps the model bounded by the mail learnt within {@code ttl}.
 */
public final class TokenStore {
    private final Store store;
    private final String prefix;
    private final Duration ttl;
    private final ConcurrentHashMap<String, CounterTable> tables = new ConcurrentHashMap<>();

    public TokenStore(Store store, String prefix, Duration ttl) {
        this.store = store;
        this.prefix = prefix;
        this.ttl = ttl;
    }

    public Counts totals(String model) {
        return Counts.parse(store.get(totalsKey(model)).orElse(null));
    }

    /** The packed counts of {@code tokens}, in order (0 for a token never learnt). */
    public long[] counts(String model, long[] tokens) {
        return table(model).get(tokens);
    }

    /**
     * Counts the mail with {@code tokens} as {@code lesson}, or with {@code forget} takes that
     * lesson back.
     *
     * @throws NothingLearnedException the mail was taught as {@code lesson} before (or, to forget, was not)
     */
    public void learn(String model, long[] tokens, Lesson lesson, boolean forget) throws NothingLearnedException {
        String mark = prefix + model + ":m:" + mailId(tokens);
        Optional<Lesson> before = store.get(mark).map(v -> Lesson.valueOf(v.toUpperCase(Locale.ROOT)));
        long spam = 0;
        long ham = 0;
        if (forget) {
            if (before.isEmpty() || before.get() != lesson) {
                throw new NothingLearnedException("this mail was not taught as " + name(lesson) + " to the model " + model);
            }
            if (lesson == Lesson.SPAM) spam = -1;
            else ham = -1;
            store.delete(mark);
        } else {
            if (before.isPresent() && before.get() == lesson) {
                throw new NothingLearnedException("this mail was taught as " + name(lesson) + " to the model " + model + " before");
            }
            if (!before.isPresent() && !store.putIfAbsent(mark, name(lesson), ttl)) {
                throw new NothingLearnedException("this mail is being taught to the model " + model + " already");
            }
            if (before.isPresent()) store.put(mark, name(lesson), ttl); // taught as the other class: moved
            if (lesson == Lesson.SPAM) spam = 1;
            else ham = 1;
            if (before.isPresent()) {
                if (lesson == Lesson.SPAM) ham = -1;
                else spam = -1;
            }
        }
        long delta = Counts.delta(spam, ham);
        table(model).add(tokens, delta, ttl);
        store.incrementEach(List.of(totalsKey(model)), delta, ttl);
    }

    private CounterTable table(String model) {
        return tables.computeIfAbsent(model, m -> store.counterTable(prefix + m + ":"));
    }

    private String totalsKey(String model) {
        return prefix + model + ":#";
    }
    /** 128 bits from the mail's sorted token hashes: the same mail gives the same id. */
    static String mailId(long[] sortedTokens) {
        long a = 0x6a09e667f3bcc908L;
        long b = 0xbb67ae8584caa73bL;
        for (long t : sortedTokens) {
            a = Long.rotateLeft(a ^ t, 27) * 0x9E3779B97F4A7C15L;
            b = Long.rotateLeft(b + t, 31) * 0xC2B2AE3D27D4EB4FL;
        }
        return Long.toHexString(a) + Long.toHexString(b);
    }

    private static String name(Lesson l) {
        return l.name().toLowerCase(Locale.ROOT);
    }
}
