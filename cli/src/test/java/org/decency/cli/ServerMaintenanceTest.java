package org.decency.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.decency.core.MaintenanceTask;
import org.decency.maintenance.Maintenance;
import org.decency.store.StatsRow;
import org.decency.store.embedded.EmbeddedStats;
import org.decency.store.postgres.PostgresSettings;
import org.decency.store.postgres.PostgresStore;
import org.decency.testkit.Postgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The maintenance the servers run: which tasks, under which leases, and that they clean
 * up. Two Doorman instances on one real PostgreSQL share the leases of the expiry sweep
 * and the statistics' retention, so only one of them runs each.
 */
class ServerMaintenanceTest {
    @TempDir Path dir;
    final List<RunningServer> running = new ArrayList<>();

    @AfterEach
    void stop() {
        running.reversed().forEach(RunningServer::close);
    }

    private static long hour() {
        return System.currentTimeMillis() / 1000 / 3600 * 3600;
    }

    private static String task(RunningServer s, String prefix) {
        return s.services().maintenance().tasks().stream().map(MaintenanceTask::name).filter(n -> n.startsWith(prefix))
                .findFirst().orElseThrow(() -> new AssertionError("no task " + prefix + "* in " + s.services().maintenance().tasks()));
    }

    @Test
    void twoDoormenOnOnePostgresShareTheLeasesAndCleanUp() throws Exception {
        try (Postgres pg = Postgres.start(dir.resolve("pg"))) {
            pg.psql("postgres", "CREATE DATABASE shared");
            var settings = new PostgresSettings(pg.jdbcUrl("shared"), Postgres.USER, null, 2, Duration.ofSeconds(5));
            try (PostgresStore direct = PostgresStore.open(settings)) {
                direct.addStats(List.of(new StatsRow("doorman", StatsRow.FINAL_STATE, "", "pass", "hour", hour() - 400 * 3600, 7, 0, 0),
                        new StatsRow("doorman", StatsRow.FINAL_STATE, "", "pass", "day", hour() / 86400 * 86400 - 5 * 86400, 7, 0, 0),
                        new StatsRow("detective", StatsRow.FINAL_STATE, "", "deliver/good", "hour", hour() - 400 * 3600, 7, 0, 0)));
                for (int i = 0; i < 20; i++) direct.put("throttle:old" + i, "3", Duration.ofMillis(1));
            }
            for (int i = 0; i < 2; i++) {
                Path cfg = Files.writeString(dir.resolve("doorman" + i + ".yml"), """
                        server: {host: 127.0.0.1, port: 0, instances: 1}
                        database: {type: postgres, url: "%s", user: postgres}
                        stats:
                          intervals: [hour, day]
                          maintenance: {intervals: {day: 3}}
                        modules: []
                        """.formatted(pg.jdbcUrl("shared")));
                running.add(DoormanRunner.start(cfg));
            }
            RunningServer a = running.get(0), b = running.get(1);
            String stats = task(a, "stats:doorman@");
            String expired = task(a, "expired@");
            assertThat(stats).isEqualTo("stats:doorman@" + pg.jdbcUrl("shared"));
            assertThat(task(b, "stats:doorman@")).as("the same data, the same lease").isEqualTo(stats);
            Maintenance ma = a.services().maintenance(), mb = b.services().maintenance();

            assertThat(ma.runNow(stats)).isTrue();
            assertThat(mb.runNow(stats)).as("a holds the lease for the next hour").isFalse();
            assertThat(ma.runNow(expired) || mb.runNow(expired)).isTrue();
            assertThat(ma.runNow(expired)).isFalse();
            assertThat(mb.runNow(expired)).isFalse();

            try (PostgresStore check = PostgresStore.open(settings)) {
                assertThat(check.readStats("doorman", "hour", 0, Long.MAX_VALUE)).as("older than 336 hours").isEmpty();
                assertThat(check.readStats("doorman", "day", 0, Long.MAX_VALUE)).as("older than 3 days").isEmpty();
                assertThat(check.readStats("detective", "hour", 0, Long.MAX_VALUE)).as("the Detective keeps its own").hasSize(1);
                try (Connection c = check.dataSource().getConnection();
                     ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM kv WHERE key LIKE 'throttle:%'")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("expired rows swept").isZero();
                }
                assertThat(check.get("maintenance:" + stats)).hasValueSatisfying(v -> assertThat(v).contains("/doorman since "));
            }
        }
    }

    @Test
    void theArchivesRetentionIsATaskOfTheDetective() throws Exception {
        RecordingNextHop nextHop = new RecordingNextHop(dir.resolve("nexthop"));
        try {
            Path archive = dir.resolve("archive");
            Path old = archive.resolve("2020-01-01/mail-1577836800-abc123.eml");
            Files.createDirectories(old.getParent());
            Files.writeString(old, "x");
            Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(100))));
            Path cfg = Files.writeString(dir.resolve("detective.yml"), """
                    server: {host: 127.0.0.1, port: 0}
                    spool_dir: spool
                    reinject: {host: 127.0.0.1, port: %d}
                    database: {path: c.db}
                    modules:
                      - Archive: {archive_dir: archive/%%ymd%%/, retention: 90d}
                    """.formatted(nextHop.port()));
            RunningServer c = DetectiveRunner.start(cfg);
            running.add(c);
            String name = task(c, "archive:");
            assertThat(name).endsWith(":" + archive.toAbsolutePath().normalize());
            assertThat(task(c, "expired@")).contains("c.db");
            assertThat(c.services().maintenance().tasks()).extracting(MaintenanceTask::name).noneMatch(n -> n.startsWith("stats:"));
            assertThat(c.services().maintenance().runNow(name)).isTrue();
            assertThat(old).doesNotExist();
        } finally {
            nextHop.close();
        }
    }

    @Test
    void onTheEmbeddedFileOldStatisticsGoToo() throws Exception {
        Path db = dir.resolve("d.db");
        try (var s = org.decency.store.embedded.EmbeddedStore.open(db, java.time.Clock.systemUTC(), 50)) {
            s.addStats(List.of(new StatsRow("doorman", StatsRow.FINAL_STATE, "", "pass", "hour", hour() - 3 * 3600, 1, 0, 0),
                    new StatsRow("doorman", StatsRow.FINAL_STATE, "", "pass", "hour", hour(), 1, 0, 0)));
            s.flush();
        }
        RunningServer d = DoormanRunner.start(Files.writeString(dir.resolve("doorman.yml"), """
                server: {host: 127.0.0.1, port: 0, instances: 1}
                database: {path: d.db}
                stats: {maintenance: {intervals: {hour: 2}}}
                modules: []
                """));
        running.add(d);
        String stats = task(d, "stats:doorman@file ");
        assertThat(stats).endsWith(":" + db.toAbsolutePath().normalize());
        assertThat(d.services().maintenance().runNow(stats)).isTrue();
        d.close();
        try (EmbeddedStats read = EmbeddedStats.open(db)) {
            assertThat(read.readStats("doorman", "hour", 0, Long.MAX_VALUE)).extracting(StatsRow::start).containsExactly(hour());
        }
    }
}
