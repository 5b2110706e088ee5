package org.decency.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.decency.core.ManualClock;
import org.decency.store.KeyedCounterTable;
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
    void counterTablesSurviveARestartWithoutTheirExpiredCounters() throws Exception {
        Path db = dir.resolve("d.db");
        try (EmbeddedStore s = EmbeddedStore.open(db, clock, 50)) {
            s.counterTable("c:a:").add(new long[]{1, 2, -3}, 5, Duration.ofDays(30));
            s.counterTable("c:b:").add(new long[]{1}, 7, Duration.ofDays(1));
            s.flush();
            s.counterTable("c:a:").add(new long[]{2}, -1, Duration.ofDays(30));
        }
        clock.advance(Duration.ofDays(2));
        try (EmbeddedStore s = EmbeddedStore.open(db, clock, 50)) {
            assertThat(s.counterTable("c:a:").get(new long[]{1, 2, -3, 4})).containsExactly(5, 4, 5, 0);
            assertThat(s.counterTable("c:b:").get(new long[]{1})).as("expired").containsExactly(0);
            s.counterTable("c:a:").add(new long[]{4}, 1, Duration.ofDays(1));
            clock.advance(Duration.ofDays(3));
            assertThat(s.sweepExpired()).as("4 expired").isEqualTo(1);
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rs = c.createStatement().executeQuery("SELECT t.name, count(*) FROM counters JOIN counter_tables t ON t.id = tab GROUP BY t.name")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1) + "=" + rs.getLong(2)).as("the expired counters are gone from the file").isEqualTo("c:a:=3");
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void countersAFileKeptAsKeysMoveIntoTheirTable() throws Exception {
        Path db = dir.resolve("d.db");
        try (EmbeddedStore s = EmbeddedStore.open(db, clock, 50)) {
            new KeyedCounterTable(s, "c:a:").add(new long[]{1, -2}, 3, Duration.ofDays(30));
            s.put("c:a:#", "9", Duration.ofDays(30));
            s.put("c:a:m:0123456789abcdef0123456789abcdef", "spam", Duration.ofDays(30));
            s.put(KeyedCounterTable.key("c:ab", 5), "4", Duration.ofDays(30));
        }
        try (EmbeddedStore s = EmbeddedStore.open(db, clock, 50)) {
            assertThat(s.counterTable("c:a:").get(new long[]{1, -2, 5})).containsExactly(3, 3, 0);
            assertThat(s.get(KeyedCounterTable.key("c:a:", 1))).as("moved").isEmpty();
            assertThat(s.get("c:a:#")).as("not a counter of the table").contains("9");
            assertThat(s.get("c:a:m:0123456789abcdef0123456789abcdef")).contains("spam");
            assertThat(s.get(KeyedCounterTable.key("c:ab", 5))).as("another name").contains("4");
        }
        try (EmbeddedStore s = EmbeddedStore.open(db, clock, 50)) {
            assertThat(s.counterTable("c:a:").get(new long[]{1, -2})).as("in the table's rows now").containsExactly(3, 3);
            assertThat(s.readFromDisk(KeyedCounterTable.key("c:a:", 1))).isEmpty();
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

    @Test
    void aFileFromBeforeTheBucketsIsBroughtUpToDateAndItsFinalAnswersBecomeFinalStates() throws Exception {
        Path db = dir.resolve("old.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            st.execute("CREATE TABLE stats_doorman_performance (module TEXT NOT NULL, period TEXT NOT NULL, start INTEGER NOT NULL,"
                    + " calls INTEGER NOT NULL, score REAL NOT NULL, runtime REAL NOT NULL, last_update INTEGER NOT NULL,"
                    + " PRIMARY KEY (module, period, start))");
            st.execute("CREATE TABLE stats_doorman_response (module TEXT NOT NULL, period TEXT NOT NULL, start INTEGER NOT NULL,"
                    + " status TEXT NOT NULL, calls INTEGER NOT NULL, last_update INTEGER NOT NULL, PRIMARY KEY (module, period, start, status))");
            st.execute("INSERT INTO stats_doorman_performance VALUES ('CBL', 'hour', 3600, 2, -200, 0.5, 1)");
            st.execute("INSERT INTO stats_doorman_response VALUES ('*', 'hour', 3600, 'DUNNO', 3, 1), ('*', 'hour', 3600, 'REJECT', 2, 1),"
                    + " ('*', 'hour', 3600, '450', 1, 1), ('CBL', 'hour', 3600, 'REJECT', 2, 1)");
        }
        try (EmbeddedStats stats = EmbeddedStats.open(db)) {
            assertThat(stats.readStats(null, "hour", 0, 7200)).extracting(r -> r.server() + " " + r.table() + " " + r.module() + " "
                    + r.status() + " " + r.calls() + " " + r.hits()).containsExactlyInAnyOrder(
                    "doorman performance CBL  2 0", "doorman response CBL REJECT 2 0",
                    "doorman final_state  pass 3 0", "doorman final_state  reject 2 0", "doorman final_state  defer 1 0");
        }
        try (EmbeddedStore s = EmbeddedStore.open(db, clock, 50)) {
            long[] b = new long[org.decency.pipeline.LatencyBuckets.COUNT];
            b[3] = 1;
            s.addStats(List.of(new StatsRow("doorman", StatsRow.PERFORMANCE, "CBL", "", "hour", 3600, 1, 1, 1, 1, -100, 0.1, b)));
            StatsRow cbl = s.readStats("doorman", "hour", 3600, 3600).stream().filter(r -> r.table().equals("performance")).findFirst().orElseThrow();
            assertThat(cbl.calls()).isEqualTo(3);
            assertThat(cbl.hits()).isEqualTo(1);
            assertThat(cbl.bucket(3)).isEqualTo(1);
            assertThat(s.pruneStats("doorman", "hour", 7200)).isEqualTo(5);
            assertThat(s.readStats("doorman", "hour", 0, Long.MAX_VALUE)).isEmpty();
        }
    }

    @Test
    void statisticsAreReadBesideARunningStoreAndAMissingFileIsAnError() throws Exception {
        Path db = dir.resolve("live.db");
        try (EmbeddedStore s = EmbeddedStore.open(db, clock, 50)) {
            s.addStats(List.of(new StatsRow("detective", StatsRow.FINAL_STATE, "", "tag/spam", "day", 0, 2, 0, 0)));
            s.flush();
            try (EmbeddedStats stats = EmbeddedStats.open(db)) {
                assertThat(stats.readStats("detective", "day", 0, 0)).extracting(StatsRow::status, StatsRow::calls)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("tag/spam", 2L));
                assertThat(stats.readStats("doorman", "day", 0, 0)).isEmpty();
            }
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmbeddedStats.open(dir.resolve("none.db")))
                .hasMessageContaining("no embedded database at");
    }
}
