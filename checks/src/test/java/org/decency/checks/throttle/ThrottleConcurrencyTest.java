package org.decency.checks.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.decency.config.ConfigLoader;
import org.decency.core.CheckEnvironment;
import org.decency.core.ManualClock;
import org.decency.core.Outcome;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many workers, possibly of several servers, share one store: the limit holds exactly. */
class ThrottleConcurrencyTest {
    static final int THREADS = 8;
    static final int REQUESTS_PER_THREAD = 200;

    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T10:00:00Z"));
    final InMemoryStore store = new InMemoryStore(clock);

    @Test
    void eightThreadsOfTwoHundredRequestsAgainstALimitOfAHundredLetExactlyAHundredThrough() throws Exception {
        Path file = Files.writeString(dir.resolve("throttle.yml"), "limits: {sender_address: [\"100/1h\"], client_address: [\"1000/1h\"]}\n");
        List<ThrottleCheck> servers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            CheckEnvironment env = new CheckEnvironment(store, clock, dir, "doorman", List.of(), List.of());
            servers.add((ThrottleCheck) new ThrottleFactory().create("Throttle", ConfigLoader.loadFile(file, ""), env));
        }
        AtomicInteger passed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                ThrottleCheck check = servers.get(t % servers.size());
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                        Outcome o = ThrottleCheckTest.ask(check, ThrottleCheckTest.mail("192.0.2.1", "bulk@x.example", "r@example.org"));
                        (o.finalWord() == null ? passed : refused).incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) f.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(passed.get()).isEqualTo(100);
        assertThat(refused.get()).isEqualTo(THREADS * REQUESTS_PER_THREAD - 100);
        long window = clock.instant().getEpochSecond() / 3600 * 3600;
        assertThat(store.get("throttle:sender_address:bulk@x.example:mails:3600:" + window)).contains("100");
        assertThat(store.get("throttle:client_address:192.0.2.1:mails:3600:" + window)).as("refusals gave their client slot back").contains("100");
    }
}
