package org.decency.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.decency.core.MaintenanceTask;
import org.decency.maintenance.Maintenance;
import org.decency.store.postgres.PostgresSettings;
import org.decency.store.postgres.PostgresStore;
import org.decency.store.redis.RedisSettings;
import org.decency.store.redis.RedisStore;
import org.decency.testkit.Postgres;
import org.junit.jupiter.api.Test;

/**
 * Two instances, each with its own connection to one real PostgreSQL or Redis, run the same
 * maintenance in the background: the lease in the shared store lets only one of them run a
 * task at a time, and the tasks really clean up (expired key/value rows, old statistics).
 */
class MaintenanceOnSharedStoresTest {

    /** A task that notes how many instances are inside it at once. */
    private static final class Watched {
        final AtomicInteger inside = new AtomicInteger(), most = new AtomicInteger(), runs = new AtomicInteger();
        final List<String> by = java.util.Collections.synchronizedList(new ArrayList<>());

        MaintenanceTask task(String name, String owner, Supplier<String> work) {
            return MaintenanceTask.of(name, Duration.ofMillis(400), () -> {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(150);
                    by.add(owner);
                    return work.get();
                } finally {
                    inside.decrementAndGet();
                    runs.incrementAndGet();
                }
            });
        }
    }

    private static void runBoth(Store a, Store b, Watched w, String name, Supplier<String> workA, Supplier<String> workB) throws Exception {
        try (Maintenance ma = new Maintenance(a, List.of(w.task(name, "a", workA)), "a", Clock.systemUTC(), Duration.ofMillis(20)).start();
             Maintenance mb = new Maintenance(b, List.of(w.task(name, "b", workB)), "b", Clock.systemUTC(), Duration.ofMillis(20)).start()) {
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (w.runs.get() < 5 && System.nanoTime() < deadline) Thread.sleep(25);
        }
        assertThat(w.runs.get()).as("runs within 15 s").isGreaterThanOrEqualTo(5);
        assertThat(w.most).as("never two instances in the task at once").hasValue(1);
    }

    private static long hour() {
        return System.currentTimeMillis() / 1000 / 3600 * 3600;
    }

    private static void oldAndNewStats(Store s) {
        long h = hour();
        s.addStats(List.of(new StatsRow("doorman", StatsRow.FINAL_STATE, "", "pass", "hour", h - 400 * 3600, 1, 0, 0),
                new StatsRow("doorman", StatsRow.FINAL_STATE, "", "pass", "hour", h, 1, 0, 0)));
    }

    @Test
    void twoInstancesOnOnePostgresTakeTurnsAndCleanUp() throws Exception {
        var settings = new PostgresSettings(SharedServers.newPostgresDatabase("maint"), Postgres.USER, null, 4, Duration.ofSeconds(5));
        try (PostgresStore a = PostgresStore.open(settings); PostgresStore b = PostgresStore.open(settings)) {
            for (int i = 0; i < 50; i++) a.put("greylist:old" + i, "1", Duration.ofMillis(1));
            a.put("greylist:live", "1", Duration.ofHours(1));
            oldAndNewStats(a);
            Thread.sleep(20);

            Watched w = new Watched();
            AtomicInteger swept = new AtomicInteger(), pruned = new AtomicInteger();
            runBoth(a, b, w, "kv+stats", () -> {
                swept.addAndGet(a.sweepExpired());
                pruned.addAndGet(a.pruneStats("doorman", "hour", hour() - 335 * 3600));
                return "";
            }, () -> {
                swept.addAndGet(b.sweepExpired());
                pruned.addAndGet(b.pruneStats("doorman", "hour", hour() - 335 * 3600));
                return "";
            });

            assertThat(swept).as("each expired row deleted once").hasValue(50);
            assertThat(pruned).hasValue(1);
            try (Connection c = a.dataSource().getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM kv WHERE key NOT LIKE 'maintenance:%'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("only the live entry (and the lease)").isEqualTo(1);
            }
            assertThat(b.readStats("doorman", "hour", 0, Long.MAX_VALUE)).extracting(StatsRow::start).containsExactly(hour());
            assertThat(a.get("greylist:live")).contains("1");
        }
    }

    @Test
    void twoInstancesOnOneRedisTakeTurnsAndPruneStatistics() throws Exception {
        var redis = SharedServers.redis();
        RedisSettings settings = RedisSettings.standalone(redis.host(), redis.port()).withPrefix("maint:");
        try (RedisStore a = RedisStore.open(settings); RedisStore b = RedisStore.open(settings)) {
            oldAndNewStats(a);
            Watched w = new Watched();
            AtomicInteger pruned = new AtomicInteger();
            runBoth(a, b, w, "stats:doorman", () -> "" + pruned.addAndGet(a.pruneStats("doorman", "hour", hour() - 335 * 3600)),
                    () -> "" + pruned.addAndGet(b.pruneStats("doorman", "hour", hour() - 335 * 3600)));

            assertThat(pruned).hasValue(1);
            assertThat(a.statsHash("doorman", StatsRow.FINAL_STATE, "hour", hour() - 400 * 3600)).isEmpty();
            assertThat(b.readStats("doorman", "hour", 0, Long.MAX_VALUE)).extracting(StatsRow::start).containsExactly(hour());
        }
    }
}
