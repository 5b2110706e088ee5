package org.decency.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.decency.core.ManualClock;
import org.decency.pipeline.LatencyBuckets;
import org.decency.store.StatsRow;
import org.decency.testkit.Postgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code decency stats} on what a real Doorman recorded: four known requests (a whitelisted
 * client, a blacklisted one, a HELO without a dot, a clean one) give known tables, on the
 * embedded file and on a real PostgreSQL.
 */
class StatsCommandTest {
    @TempDir Path dir;

    record Run(int exit, String out, String err) {}

    static Run stats(Clock clock, String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            StatsCommand cmd = new StatsCommand();
            if (clock != null) cmd.clock = clock;
            int exit = new CommandLine(cmd).execute(args);
            return new Run(exit, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private Path doorman(String database) throws Exception {
        return Files.writeString(dir.resolve("doorman.yml"), """
                server: {host: 127.0.0.1, port: 0, instances: 1}
                disable_prepend: 1
                %s
                stats:
                  enable: [module_results, module_performance, final_state]
                  intervals: [hour, day]
                modules:
                  - CWL: {ips: {"*": [198.51.100.1]}}
                  - CBL: {ips: {"*": [192.0.2.66]}}
                  - Basic: {weight_non_fqdn_helo_hostname: -30}
                """.formatted(database));
    }

    static String ask(RunningServer doorman, String client, String helo) throws Exception {
        Map<String, String> attrs = new LinkedHashMap<>(PolicyTestCommand.defaults());
        attrs.put("client_address", client);
        attrs.put("helo_name", helo);
        attrs.put("sender", "alice@example.net");
        attrs.put("recipient", "bob@example.org");
        return PolicyTestCommand.ask("127.0.0.1", doorman.port(), attrs);
    }

    /** The four requests; what the Doorman answered. */
    static List<String> fourKnownRequests(RunningServer doorman) throws Exception {
        return List.of(ask(doorman, "198.51.100.1", "mail.example.net"), ask(doorman, "192.0.2.66", "mail.example.net"),
                ask(doorman, "192.0.2.1", "workstation"), ask(doorman, "192.0.2.2", "mail.example.net"));
    }

    private static void assertKnownTables(String out) {
        assertThat(out).startsWith("doorman, per hour, ");
        assertThat(out).containsPattern("(?m)^check +calls +hits +final words +rejects +mean ms +p99 ms +score$");
        assertThat(out).containsPattern("(?m)^CWL +4 +0 +1 +0 +\\d+\\.\\d{3} +\\d+\\.\\d{3} +0$");
        assertThat(out).containsPattern("(?m)^CBL +3 +0 +1 +1 +\\d+\\.\\d{3} +\\d+\\.\\d{3} +0$");
        assertThat(out).containsPattern("(?m)^Basic +2 +1 +0 +0 +\\d+\\.\\d{3} +\\d+\\.\\d{3} +-30$");
        assertThat(out).containsPattern("(?m)^final state +mails +share$");
        assertThat(out).containsPattern("(?m)^pass +2 +50\\.0%$");
        assertThat(out).containsPattern("(?m)^accept +1 +25\\.0%$");
        assertThat(out).containsPattern("(?m)^reject +1 +25\\.0%$");
        assertThat(out).containsPattern("(?m)^total +4$");
        assertThat(out).containsPattern("(?m)^check +DUNNO +OK +REJECT$");
        assertThat(out).containsPattern("(?m)^Basic +2 +0 +0$");
        assertThat(out).containsPattern("(?m)^CBL +2 +0 +1$");
        assertThat(out).containsPattern("(?m)^CWL +2 +1 +1$");
    }

    @Test
    void onTheEmbeddedFile() throws Exception {
        Path config = doorman("database: {path: stats.db}");
        try (RunningServer d = DoormanRunner.start(config)) {
            List<String> answers = fourKnownRequests(d);
            assertThat(answers.get(0)).isEqualTo("action=OK");
            assertThat(answers.get(1)).startsWith("action=REJECT Hit on Custom Black List");
            assertThat(answers.subList(2, 4)).containsOnly("action=DUNNO");
        } // closing writes the last statistics

        Run r = stats(null, "-c", config.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertKnownTables(r.out());

        Run day = stats(null, "-c", config.toString(), "--interval", "day", "--server", "doorman");
        assertThat(day.out()).startsWith("doorman, per day, ").containsPattern("(?m)^total +4$");
        Run week = stats(null, "-c", config.toString(), "--interval", "week");
        assertThat(week.exit()).isZero();
        assertThat(week.out()).startsWith("no statistics per week since ").contains("stats.db");
        Run other = stats(null, "-c", config.toString(), "--server", "detective");
        assertThat(other.out()).startsWith("no statistics per hour").contains("for detective");
    }

    @Test
    void onARealPostgres() throws Exception {
        try (Postgres pg = Postgres.start(dir.resolve("pg"))) {
            pg.psql("postgres", "CREATE DATABASE stats");
            Path config = doorman("database: {type: postgres, url: \"" + pg.jdbcUrl("stats") + "\", user: postgres}");
            try (RunningServer d = DoormanRunner.start(config)) {
                fourKnownRequests(d);
            }
            Run r = stats(null, "-c", config.toString(), "--since", "2h");
            assertThat(r.exit()).as(r.err()).isZero();
            assertKnownTables(r.out());
        }
    }

    @Test
    void onRedisAloneWithTheDatabaseInTheCache() throws Exception {
        try (org.decency.testkit.Redis redis = org.decency.testkit.Redis.start(dir.resolve("redis"))) {
            Path config = doorman("cache: {class: redis, port: " + redis.port() + "}\ndatabase: {type: redis}");
            try (RunningServer d = DoormanRunner.start(config)) {
                fourKnownRequests(d);
            }
            Run r = stats(null, "-c", config.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertKnownTables(r.out());
        }
    }

    @Test
    void aRangeOfPeriodsIsSummedAndP99ComesFromTheBuckets() throws Exception {
        Path db = dir.resolve("sum.db");
        Instant now = Instant.parse("2025-03-05T10:20:00Z");
        long h = now.getEpochSecond() / 3600 * 3600;
        long[] fast = new long[LatencyBuckets.COUNT], slow = new long[LatencyBuckets.COUNT];
        fast[6] = 99;  // 0.5 .. 1 ms
        slow[12] = 1;  // 50 .. 100 ms
        try (var s = org.decency.store.embedded.EmbeddedStore.open(db, new ManualClock(now), 50)) {
            s.addStats(List.of(
                    new StatsRow("detective", StatsRow.PERFORMANCE, "ClamAV", "", "hour", h - 7200, 99, 0, 0, 0, 0, 0.0742, fast),
                    new StatsRow("detective", StatsRow.PERFORMANCE, "ClamAV", "", "hour", h, 1, 1, 1, 0, -1000, 0.08, slow),
                    new StatsRow("detective", StatsRow.FINAL_STATE, "", "deliver/good", "hour", h - 7200, 99, 0, 0),
                    new StatsRow("detective", StatsRow.FINAL_STATE, "", "quarantine/virus", "hour", h, 1, 0, 0),
                    new StatsRow("detective", StatsRow.PERFORMANCE, "ClamAV", "", "hour", h - 30 * 3600, 5, 0, 0, 0, 0, 1, fast)));
            s.flush();
        }
        Path config = Files.writeString(dir.resolve("detective.yml"), "database: {path: sum.db}\nmodules: []\n");
        Clock clock = new ManualClock(now);

        Run r = stats(clock, "-c", config.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                detective, per hour, 2025-03-04 10:00 to 2025-03-05 10:00 UTC (2 hours with statistics)

                check   calls  hits  final words  rejects  mean ms  p99 ms  score
                ClamAV    100     1            1        0    1.542   1.000  -1000

                final state       mails  share
                deliver/good         99  99.0%
                quarantine/virus      1   1.0%
                total               100
                """);
        Run older = stats(clock, "-c", config.toString(), "--since", "2025-03-03");
        assertThat(older.out()).contains("(3 hours with statistics)").containsPattern("(?m)^ClamAV +105 ");
        Run bad = stats(clock, "-c", config.toString(), "--since", "yesterday");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--since: expected a duration");
        Run badInterval = stats(clock, "-c", config.toString(), "--interval", "minute");
        assertThat(badInterval.exit()).isEqualTo(2);
        Run missing = stats(clock, "-c", Files.writeString(dir.resolve("none.yml"), "database: {path: none.db}\nmodules: []\n").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no embedded database at");
        assertThat(Files.exists(dir.resolve("none.db"))).as("nothing created").isFalse();
    }

    @Test
    void sinceAcceptsDurationsDatesAndTimes() {
        Instant now = Instant.parse("2025-03-05T10:20:00Z");
        assertThat(StatsCommand.parseSince("24h", now)).isEqualTo(Instant.parse("2025-03-04T10:20:00Z"));
        assertThat(StatsCommand.parseSince("2w", now)).isEqualTo(Instant.parse("2025-02-19T10:20:00Z"));
        assertThat(StatsCommand.parseSince("2025-03-01", now)).isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
        assertThat(StatsCommand.parseSince("2025-03-01T08:30", now)).isEqualTo(Instant.parse("2025-03-01T08:30:00Z"));
        assertThat(StatsCommand.parseSince("2025-03-01T08:30:00Z", now).atZone(ZoneOffset.UTC).getHour()).isEqualTo(8);
    }
}
