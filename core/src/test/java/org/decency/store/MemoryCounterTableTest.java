package org.decency.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.decency.core.ManualClock;
import org.junit.jupiter.api.Test;

class MemoryCounterTableTest {
    final ManualClock clock = new ManualClock(Instant.parse("2025-03-01T12:00:00Z"));
    final Duration ttl = Duration.ofDays(30);
    final MemoryCounterTable table = new MemoryCounterTable(clock, true);

    @Test
    void countersAddUpAndReadInOrderWithZeroForAbsent() {
        table.add(new long[]{7, 0, -3}, 5, ttl);
        table.add(new long[]{-3}, -2, ttl);
        assertThat(table.get(new long[]{-3, 42, 7, 0})).containsExactly(3, 0, 5, 5);
        assertThat(table.get(new long[0])).isEmpty();
        assertThat(table.size()).isEqualTo(3);
    }

    @Test
    void growsWithoutLosingACounter() {
        long[] ids = new long[100_000];
        for (int i = 0; i < ids.length; i++) ids[i] = i * 0x1000_0000_0000L + i; // low bits alike: the hash must spread them
        for (int from = 0; from < ids.length; from += 1000) {
            table.add(java.util.Arrays.copyOfRange(ids, from, from + 1000), 1, ttl);
        }
        table.add(ids, 1, ttl);
        assertThat(table.size()).isEqualTo(ids.length);
        assertThat(table.get(ids)).containsOnly(2);
    }

    @Test
    void aCounterNotAddedToForTheTtlExpiresAndStartsAfreshAfter() {
        table.add(new long[]{1, 2}, 4, ttl);
        clock.advance(Duration.ofDays(20));
        table.add(new long[]{2}, 1, ttl);
        clock.advance(Duration.ofDays(15));
        assertThat(table.get(new long[]{1, 2})).as("1 expired; 2 renewed 15 days ago").containsExactly(0, 5);
        table.add(new long[]{1}, 3, ttl);
        assertThat(table.get(new long[]{1})).as("an expired counter starts at 0").containsExactly(3);
    }

    @Test
    void sweepDropsTheExpiredAndKeepsTheLive() {
        table.add(new long[]{1, 2, 3}, 1, ttl);
        clock.advance(Duration.ofDays(20));
        table.add(new long[]{3}, 1, ttl);
        clock.advance(Duration.ofDays(15));
        assertThat(table.sweep()).isEqualTo(2);
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.get(new long[]{1, 2, 3})).containsExactly(0, 0, 2);
        assertThat(table.sweep()).isZero();
    }

    @Test
    void changesAreEachIdOnceWithItsStateAndGoneCountersHaveNoExpiry() {
        long t0 = clock.millis();
        table.add(new long[]{9, 4}, 1, ttl);
        table.add(new long[]{4}, 1, Duration.ofDays(1));
        MemoryCounterTable.Changes c = table.drainChanges();
        assertThat(c.ids()).containsExactly(4, 9);
        assertThat(c.values()).containsExactly(2, 1);
        assertThat(c.expiresAt()).containsExactly(t0 + Duration.ofDays(1).toMillis(), t0 + ttl.toMillis());
        assertThat(table.drainChanges().size()).as("drained").isZero();

        clock.advance(Duration.ofDays(2));
        table.sweep();
        c = table.drainChanges();
        assertThat(c.ids()).containsExactly(4);
        assertThat(c.expiresAt()).as("swept: to delete").containsExactly(0);
    }

    @Test
    void loadedCountersAreNoChangeWhilePutOnesAreAndFailedWritesComeBack() {
        long expires = clock.millis() + 1000;
        table.load(1, 10, expires);
        table.put(2, 20, expires);
        assertThat(table.get(new long[]{1, 2})).containsExactly(10, 20);
        MemoryCounterTable.Changes c = table.drainChanges();
        assertThat(c.ids()).containsExactly(2);
        table.restoreChanges(c.ids());
        assertThat(table.drainChanges().ids()).containsExactly(2);
    }

    @Test
    void aTableThatDoesNotTrackChangesHasNone() {
        MemoryCounterTable untracked = new MemoryCounterTable(clock, false);
        untracked.add(new long[]{1}, 1, ttl);
        assertThat(untracked.drainChanges().size()).isZero();
    }

    @Test
    void noAdditionIsLostAndNoReaderSeesAHalfWrittenTableUnderManyThreads() throws Exception {
        int writers = 4;
        int rounds = 200;
        int perBatch = 500;
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int me = w;
                futures.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        long[] ids = new long[perBatch];
                        // half the ids shared by every writer, half its own, new ones each round (the table grows)
                        for (int i = 0; i < perBatch; i++) ids[i] = i % 2 == 0 ? i : (long) me << 40 | (long) r * perBatch + i;
                        table.add(ids, 1, ttl);
                    }
                }));
            }
            List<Future<Long>> readers = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                readers.add(pool.submit(() -> {
                    long[] shared = new long[perBatch / 2];
                    for (int i = 0; i < shared.length; i++) shared[i] = 2L * i;
                    long reads = 0;
                    long[] last = new long[shared.length];
                    while (!done.get()) {
                        long[] now = table.get(shared);
                        for (int i = 0; i < now.length; i++) {
                            if (now[i] < last[i] || now[i] > (long) writers * rounds) throw new AssertionError("read " + now[i] + " after " + last[i]);
                        }
                        last = now;
                        reads++;
                    }
                    return reads;
                }));
            }
            for (Future<?> f : futures) f.get();
            done.set(true);
            for (Future<Long> f : readers) assertThat(f.get()).isPositive();
        } finally {
            pool.shutdownNow();
        }
        long[] shared = new long[perBatch / 2];
        for (int i = 0; i < shared.length; i++) shared[i] = 2L * i;
        assertThat(table.get(shared)).containsOnly((long) writers * rounds);
        assertThat(table.size()).isEqualTo(perBatch / 2 + writers * rounds * perBatch / 2);
    }
}
