package org.decency.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.decency.core.MaintenanceTask;
import org.decency.core.ManualClock;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;

/** The lease: one instance at a time runs a task, at most once per its {@code every}. */
class MaintenanceTest {
    final ManualClock clock = new ManualClock(Instant.parse("2025-03-01T12:00:00Z"));
    final InMemoryStore store = new InMemoryStore(clock);

    @Test
    void whoeverTakesTheLeaseRunsTheTaskAndTheOthersSkipUntilEveryHasPassed() {
        AtomicInteger runs = new AtomicInteger();
        MaintenanceTask task = MaintenanceTask.of("stats:doorman", Duration.ofHours(1), () -> "run " + runs.incrementAndGet());
        Maintenance a = new Maintenance(store, List.of(task), "host-a", clock);
        Maintenance b = new Maintenance(store, List.of(task), "host-b", clock);

        assertThat(a.runNow("stats:doorman")).isTrue();
        assertThat(store.get("maintenance:stats:doorman")).hasValueSatisfying(v -> assertThat(v).startsWith("host-a since "));
        assertThat(b.runNow("stats:doorman")).as("a's lease holds").isFalse();
        assertThat(a.runNow("stats:doorman")).as("a's own lease holds for a too").isFalse();
        clock.advance(Duration.ofMinutes(59));
        assertThat(b.runNow("stats:doorman")).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(b.runNow("stats:doorman")).isTrue();
        assertThat(runs).hasValue(2);
        assertThat(a.counts().get("stats:doorman").runs()).isEqualTo(1);
        assertThat(a.counts().get("stats:doorman").skipped()).isEqualTo(1);
        assertThat(b.counts().get("stats:doorman").runs()).isEqualTo(1);
        assertThat(b.counts().get("stats:doorman").skipped()).isEqualTo(2);
    }

    @Test
    void theLeaseIsRenewedWhenTheRunEndsSoTheNextComesEveryAfterIt() {
        MaintenanceTask slow = MaintenanceTask.of("kv@x", Duration.ofMinutes(1), () -> {
            clock.advance(Duration.ofSeconds(50)); // the run itself takes 50 s
            return "";
        });
        Maintenance a = new Maintenance(store, List.of(slow), "a", clock);
        Maintenance b = new Maintenance(store, List.of(slow), "b", clock);

        assertThat(a.runNow("kv@x")).isTrue();
        clock.advance(Duration.ofSeconds(30)); // 80 s after the start, 30 s after the end
        assertThat(b.runNow("kv@x")).isFalse();
        clock.advance(Duration.ofSeconds(30));
        assertThat(b.runNow("kv@x")).isTrue();
    }

    @Test
    void aFailingRunIsCountedAndLoggedAndStillHoldsTheLease() {
        MaintenanceTask broken = MaintenanceTask.of("archive:h:/x", Duration.ofHours(1), () -> {
            throw new java.io.IOException("disk gone");
        });
        Maintenance a = new Maintenance(store, List.of(broken), "a", clock);

        assertThat(a.runNow("archive:h:/x")).isTrue();
        assertThat(a.counts().get("archive:h:/x").failures()).isEqualTo(1);
        assertThat(a.runNow("archive:h:/x")).isFalse();
        assertThatThrownBy(() -> a.runNow("nothing")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MaintenanceTask.of("x", Duration.ZERO, () -> "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void twoTasksOfTheSameNameRunOnce() {
        AtomicInteger runs = new AtomicInteger();
        MaintenanceTask t = MaintenanceTask.of("archive:h:/a", Duration.ofHours(1), () -> "" + runs.incrementAndGet());
        Maintenance a = new Maintenance(store, List.of(t, t), "a", clock);
        assertThat(a.tasks()).hasSize(1);
    }

    /** On the real clock, in the background: two instances never overlap and the task keeps running. */
    @Test
    void inTheBackgroundTwoInstancesTakeTurnsWithoutOverlapping() throws Exception {
        InMemoryStore shared = new InMemoryStore(Clock.systemUTC());
        AtomicInteger inside = new AtomicInteger(), most = new AtomicInteger(), runs = new AtomicInteger();
        MaintenanceTask task = MaintenanceTask.of("sweep", Duration.ofMillis(150), () -> {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            Thread.sleep(120); // close to every: the lease is renewed while it runs
            inside.decrementAndGet();
            runs.incrementAndGet();
            return "";
        });
        try (Maintenance a = new Maintenance(shared, List.of(task), "a", Clock.systemUTC(), Duration.ofMillis(10)).start();
             Maintenance b = new Maintenance(shared, List.of(task), "b", Clock.systemUTC(), Duration.ofMillis(10)).start()) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (runs.get() < 4 && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(runs.get()).isGreaterThanOrEqualTo(4);
            assertThat(most).as("never two runs at once").hasValue(1);
            assertThat(a.counts().get("sweep").runs() + b.counts().get("sweep").runs()).isGreaterThanOrEqualTo(4);
        }
    }
}
