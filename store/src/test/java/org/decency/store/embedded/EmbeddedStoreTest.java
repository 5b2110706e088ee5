package org.decency.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.decency.core.ManualClock;
import org.decency.store.ListEntry;
import org.decency.store.StatsRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStoreTest {
    @TempDir Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T10:00:00Z"));

    @Test
    void valuesAndCountersSurviveARestart() throws Exception {
        Path db = dir.resolve("d.db");
        try (EmbeddedStore s = EmbeddedStore.open(db, clock, 50)) {
            s.put("greylist:a", "1700000000,0", Duration.ofHours(1));
            assertThat(s.increment("throttle:x", 1, Duration.ofMinutes(1))).isEqualTo(1);
            assertThat(s.increment("throttle:x", 2, Duration.ofMinutes(1))).isEqualTo(3);
            s.put("gone", "v", Duration.ofHours(1));
            assertThat(s.delete("gone")).isTrue();
        }
        try (EmbeddedStore s = EmbeddedStore.open(db, clock, 50)) {
            assertThat(s.get("greylist:a")).contains("1700000000,0");
            assertThat(s.get("throttle:x")).contains("3");
            assertThat(s.get("gone")).isEmpty();
        }
    }

    @Test
    void expireRenewsTheLifetimeKeepsTheValueAndSurvivesARestart() throws Exception {
        Path db = dir.resolve("d.db");
        try (EmbeddedStore s = EmbeddedStore.open(db, clock, 50)) {
            s.increment("greylist:client:n", 4, Duration.ofMinutes(10));
            clock.advance(Duration.ofMinutes(9));
            assertThat(s.expire("greylist:client:n", Duration.ofMinutes(10))).isTrue();
            clock.advance(Duration.ofMinutes(9));
            assertThat(s.get("greylist:client:n")).as("18 minutes after the start, 9 after the renewal").contains("4");
            assertThat(s.expire("absent", Duration.ofMinutes(10))).isFalse();
            assertThat(s.get("absent")).isEmpty();
        }
        try (EmbeddedStore s = EmbeddedStore.open(db, clock, 50)) {
            assertThat(s.get("greylist:client:n")).contains("4");
            clock.advance(Duration.ofMinutes(2));
            assertThat(s.get("greylist:client:n")).isEmpty();
            assertThat(s.expire("greylist:client:n", Duration.ofMinutes(10))).as("an expired key is not revived").isFalse();
        }
    }

    @Test
    void writesReachTheFileWithoutAClose() throws Exception {
        try (EmbeddedStore s = EmbeddedStore.open(dir.resolve("d.db"), clock, 50)) {
            s.put("k", "v", Duration.ofHours(1));
            s.flush();
            assertThat(s.readFromDisk("k")).contains("v");
        }
    }

    @Test
    void expiredEntriesAreNeitherAnsweredNorLoaded() {
        Path db = dir.resolve("d.db");
        try (EmbeddedStore s = EmbeddedStore.open(db, clock, 50)) {
            s.put("short", "v", Duration.ofSeconds(10));
            assertThat(s.putIfAbsent("short", "w", Duration.ofSeconds(10))).isFalse();
            clock.advance(Duration.ofSeconds(11));
            assertThat(s.get("short")).isEmpty();
            assertThat(s.putIfAbsent("short", "w", Duration.ofSeconds(10))).isTrue();
            clock.advance(Duration.ofSeconds(11));
        }
        try (EmbeddedStore s = EmbeddedStore.open(db, clock, 50)) {
            assertThat(s.get("short")).isEmpty();
        }
    }

    @Test
    void theSweepDeletesExpiredRowsFromTheFileToo() throws Exception {
        try (EmbeddedStore s = EmbeddedStore.open(dir.resolve("d.db"), clock, 50)) {
            s.put("short", "v", Duration.ofSeconds(10));
            s.put("long", "v", Duration.ofHours(1));
            s.flush();
            clock.advance(Duration.ofSeconds(11));

            assertThat(s.sweep()).isEqualTo(1);
            s.flush();

            try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("d.db"));
                 ResultSet rs = c.createStatement().executeQuery("SELECT key FROM kv")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("long");
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void listChangesByAnotherProcessMoveTheVersion() {
        Path db = dir.resolve("d.db");
        try (EmbeddedStore server = EmbeddedStore.open(db, clock, 50);
             EmbeddedStore cli = EmbeddedStore.open(db, clock, 50)) {
            long before = server.lists().version();
            ListEntry e = new ListEntry("cbl", ListEntry.Kind.IPS, "*", "192.0.2.0/24");
            assertThat(cli.lists().add(e)).isTrue();
            assertThat(cli.lists().add(e)).isFalse();
            assertThat(server.lists().version()).isGreaterThan(before);
            assertThat(server.lists().entries("cbl")).containsExactly(e);
            assertThat(server.lists().entries("cwl")).isEmpty();
            assertThat(cli.lists().remove(e)).isTrue();
            assertThat(server.lists().entries("cbl")).isEmpty();
        }
    }

    @Test
    void statsRowsAreSummedPerModuleAndPeriod() throws Exception {
        Path db = dir.resolve("d.db");
        try (EmbeddedStore s = EmbeddedStore.open(db, clock, 50)) {
            s.addStats(List.of(new StatsRow("doorman", "performance", "CBL", "", "hour", 3600, 2, -100, 0.5),
                    new StatsRow("doorman", "response", "CBL", "REJECT", "hour", 3600, 2, 0, 0)));
            s.addStats(List.of(new StatsRow("doorman", "performance", "CBL", "", "hour", 3600, 3, -50, 0.25)));
            s.flush();
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT calls, score, runtime FROM stats_doorman_performance WHERE module='CBL' AND period='hour'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(5);
            assertThat(rs.getDouble(2)).isEqualTo(-150);
            assertThat(rs.getDouble(3)).isEqualTo(0.75);
        }
    }
}
