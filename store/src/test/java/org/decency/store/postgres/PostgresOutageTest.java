package org.decency.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.decency.store.ListEntry;
import org.decency.store.StatsRow;
import org.decency.store.StoreUnavailableException;
import org.decency.testkit.LocalDaemon;
import org.decency.testkit.Postgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** PostgreSQL goes away and comes back; a statement that waits too long gives up. */
class PostgresOutageTest {
    static final Duration TIMEOUT = Duration.ofMillis(500);
    static final long FAST_MS = 2000;

    @TempDir Path dir;

    @Test
    void callsFailFastWhilePostgresIsDownAndWorkAgainOnceItIsBack() throws Exception {
        Postgres pg = Postgres.start(dir.resolve("pg"));
        int port = pg.port();
        try (PostgresStore s = PostgresStore.open(new PostgresSettings(pg.jdbcUrl("postgres"), Postgres.USER, null, 4, TIMEOUT))) {
            s.put("greylist:a", "v", Duration.ofHours(1));
            s.lists().add(new ListEntry("cwl", ListEntry.Kind.IPS, "*", "192.0.2.9"));

            pg.close(); // fast shutdown: every connection is cut
            for (int round = 0; round < 3; round++) {
                failsFast(() -> s.get("greylist:a"));
                failsFast(() -> s.put("greylist:a", "w", Duration.ofHours(1)));
                failsFast(() -> s.putIfAbsent("greylist:b", "w", Duration.ofHours(1)));
                failsFast(() -> s.increment("throttle:x", 1, Duration.ofHours(1)));
                failsFast(() -> s.expire("greylist:a", Duration.ofHours(1)));
                failsFast(() -> s.delete("greylist:a"));
                failsFast(() -> s.lists().entries("cwl"));
                failsFast(() -> s.addStats(List.of(new StatsRow("doorman", "response", "*", "DUNNO", "hour", 0, 1, 0, 0))));
            }

            pg = Postgres.start(dir.resolve("pg"), port);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (true) {
                try {
                    s.put("greylist:c", "back", Duration.ofHours(1));
                    break;
                } catch (StoreUnavailableException e) {
                    if (System.nanoTime() > deadline) throw new AssertionError("no reconnect within 20 s", e);
                    Thread.sleep(100);
                }
            }
            assertThat(s.get("greylist:c")).contains("back");
            assertThat(s.get("greylist:a")).as("the database kept its data").contains("v");
            assertThat(s.lists().entries("cwl")).extracting(ListEntry::value).containsExactly("192.0.2.9");
            assertThat(s.increment("throttle:x", 2, Duration.ofHours(1))).isEqualTo(2);
        } finally {
            pg.close();
        }
    }

    @Test
    void aStatementThatWaitsOnALockGivesUpAtTheTimeout() throws Exception {
        try (Postgres pg = Postgres.start(dir.resolve("pg"));
             PostgresStore s = PostgresStore.open(new PostgresSettings(pg.jdbcUrl("postgres"), Postgres.USER, null, 4, TIMEOUT))) {
            s.put("greylist:locked", "1", Duration.ofHours(1));
            Properties p = new Properties();
            p.setProperty("user", Postgres.USER);
            try (Connection other = DriverManager.getConnection(pg.jdbcUrl("postgres"), p)) {
                other.setAutoCommit(false);
                try (PreparedStatement ps = other.prepareStatement("SELECT value FROM kv WHERE key = 'greylist:locked' FOR UPDATE");
                     ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                }
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> s.increment("greylist:locked", 1, Duration.ofHours(1))).isInstanceOf(StoreUnavailableException.class);
                assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(400L, FAST_MS);
                other.rollback();
            }
            assertThat(s.increment("greylist:locked", 1, Duration.ofHours(1))).isEqualTo(2);
        }
    }

    @Test
    void openingFailsAtOnceWhenNothingListens() {
        int port = LocalDaemon.freeLoopbackPort();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> PostgresStore.open(new PostgresSettings("jdbc:postgresql://127.0.0.1:" + port + "/decency",
                "decency", "secret", 2, TIMEOUT)))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("postgres //127.0.0.1:" + port + "/decency as decency")
                .hasMessageNotContaining("secret");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5000);
    }

    static void failsFast(ThrowingCallable call) {
        long t0 = System.nanoTime();
        assertThatThrownBy(call).isInstanceOf(StoreUnavailableException.class);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as("a call while the backend is down").isLessThan(FAST_MS);
    }
}
