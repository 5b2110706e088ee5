package org.decency.checks.support;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers for a while which messages a check has already counted, so a message
 * with ten recipients (ten policy requests sharing Postfix's {@code instance}) counts
 * once. Kept in this process only and never written to the store: all requests about
 * one message come over the same Postfix connection, hence to the same Doorman, and a
 * mark is worthless once the SMTP session is over.
 *
 * <p>Two generations of marks: the current one takes new marks, the previous one is
 * still asked, and every {@code ttl / 2} (or when the current one is full) the previous
 * is dropped whole (rotation happens on use). A mark so lives about {@code ttl / 2} to
 * {@code ttl} (shorter only under a flood of more than {@code maxPerGeneration} marks
 * in that time), and
 * costs one hash-map entry: no per-entry timers or eviction bookkeeping on the hot path.
 */
public final class MessageMarks {
    /** Far longer than the recipients of one SMTP transaction take to arrive. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(20);
    private static final int MAX_PER_GENERATION = 250_000;

    private final Clock clock;
    private final long rotateMillis;
    private final int maxPerGeneration;
    private volatile ConcurrentHashMap<String, Boolean> current = new ConcurrentHashMap<>();
    private volatile ConcurrentHashMap<String, Boolean> previous = new ConcurrentHashMap<>();
    private volatile long rotatedAt;

    public MessageMarks(Clock clock) {
        this(clock, DEFAULT_TTL, MAX_PER_GENERATION);
    }

    MessageMarks(Clock clock, Duration ttl, int maxPerGeneration) {
        this.clock = clock;
        this.rotateMillis = Math.max(1, ttl.toMillis() / 2);
        this.maxPerGeneration = maxPerGeneration;
        this.rotatedAt = clock.millis();
    }

    /** True when {@code mark} is set. */
    public boolean has(String mark) {
        rotateIfDue();
        return current.containsKey(mark) || previous.containsKey(mark);
    }

    /** Sets {@code mark}; true when it was not set before. */
    public boolean add(String mark) {
        rotateIfDue();
        if (previous.containsKey(mark)) return false;
        return current.putIfAbsent(mark, Boolean.TRUE) == null;
    }

    private void rotateIfDue() {
        long now = clock.millis();
        if (now - rotatedAt < rotateMillis && current.size() < maxPerGeneration) return;
        synchronized (this) {
            if (now - rotatedAt < rotateMillis && current.size() < maxPerGeneration) return;
            // Two periods without traffic: nothing in either generation is worth keeping.
            previous = now - rotatedAt >= 2 * rotateMillis ? new ConcurrentHashMap<>() : current;
            current = new ConcurrentHashMap<>();
            rotatedAt = now;
        }
    }
}
