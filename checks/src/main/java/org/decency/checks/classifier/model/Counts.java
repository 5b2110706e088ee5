package org.decency.checks.classifier.model;

/**
 * How many spam and ham lessons a token (or a model: its totals) was seen in. Both live in
 * one store counter, spam in the high 32 bits and ham in the low 32, so one atomic {@code
 * increment} changes either on every backend (Redis {@code INCRBY}, SQL, the embedded
 * store) and one lookup reads both. A count forgotten more often than learnt reads as 0.
 */
public record Counts(long spam, long ham) {
    public static final Counts NONE = new Counts(0, 0);
    static final long SPAM_UNIT = 1L << 32;

    /** The counter's value for a change of {@code spam} spam and {@code ham} ham lessons. */
    static long delta(long spam, long ham) {
        return spam * SPAM_UNIT + ham;
    }

    static Counts unpack(long packed) {
        long ham = (int) packed;
        long spam = (packed - ham) >> 32;
        return new Counts(Math.max(0, spam), Math.max(0, ham));
    }

    static Counts parse(String value) {
        if (value == null) return NONE;
        try {
            return unpack(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return NONE;
        }
    }

    public long total() {
        return spam + ham;
    }
}
