package org.decency.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.decency.store.ListEntry;
import org.decency.store.StatsRow;
import org.decency.store.StoreUnavailableException;
import org.decency.testkit.LocalDaemon;
import org.decency.testkit.Redis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Redis goes away and comes back: calls fail fast with StoreUnavailableException, then work again by themselves. */
class RedisOutageTest {
    static final Duration TIMEOUT = Duration.ofMillis(500);
    static final long FAST_MS = 1500;

    @TempDir Path dir;

    @Test
    void callsFailFastWhileRedisIsDownAndWorkAgainOnceItIsBack() throws Exception {
        Redis redis = Redis.start(dir.resolve("redis"));
        int port = redis.port();
        try (RedisStore s = RedisStore.open(RedisSettings.standalone(redis.host(), port).withTimeout(TIMEOUT))) {
            s.put("greylist:a", "v", Duration.ofHours(1));
            assertThat(s.get("greylist:a")).contains("v");

            redis.close();
            for (int round = 0; round < 3; round++) {
                failsFast(() -> s.get("greylist:a"));
                failsFast(() -> s.put("greylist:a", "w", Duration.ofHours(1)));
                failsFast(() -> s.putIfAbsent("greylist:b", "w", Duration.ofHours(1)));
                failsFast(() -> s.increment("throttle:x", 1, Duration.ofHours(1)));
                failsFast(() -> s.expire("greylist:a", Duration.ofHours(1)));
                failsFast(() -> s.delete("greylist:a"));
                failsFast(() -> s.lists().add(new ListEntry("cbl", ListEntry.Kind.IPS, "*", "192.0.2.1")));
                failsFast(() -> s.lists().version());
                failsFast(() -> s.addStats(List.of(new StatsRow("doorman", "response", "*", "DUNNO", "hour", 0, 1, 0, 0))));
            }

            redis = Redis.start(dir.resolve("redis"), port);
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
            assertThat(s.increment("throttle:x", 2, Duration.ofHours(1))).isEqualTo(2);
            assertThat(s.lists().add(new ListEntry("cbl", ListEntry.Kind.IPS, "*", "192.0.2.1"))).isTrue();
        } finally {
            redis.close();
        }
    }

    @Test
    void aCallWithoutAnswerGivesUpAtTheTimeout() throws Exception {
        try (Redis redis = Redis.start(dir.resolve("redis"));
             RedisStore s = RedisStore.open(RedisSettings.standalone(redis.host(), redis.port()).withTimeout(TIMEOUT));
             Socket admin = new Socket(InetAddress.getLoopbackAddress(), redis.port())) {
            s.put("k", "v", Duration.ofHours(1));
            // the server stops answering every client for 3 s, as a stuck or overloaded Redis would
            admin.getOutputStream().write("CLIENT PAUSE 3000 ALL\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readLine(admin)).isEqualTo("+OK");
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> s.get("k")).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("timed out after 500 ms");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).isBetween(400L, FAST_MS);
            Thread.sleep(3000);
            assertThat(s.get("k")).as("the connection is still good after the pause").contains("v");
            s.put("k2", "v2", Duration.ofHours(1));
            assertThat(s.get("k2")).contains("v2");
        }
    }

    @Test
    void openingFailsAtOnceWhenNothingListens() {
        int port = LocalDaemon.freeLoopbackPort();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> RedisStore.open(RedisSettings.standalone("127.0.0.1", port).withTimeout(TIMEOUT)))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("redis 127.0.0.1:" + port)
                .hasMessageContaining("cannot connect");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3000);
    }

    static void failsFast(ThrowingCallable call) {
        long t0 = System.nanoTime();
        assertThatThrownBy(call).isInstanceOf(StoreUnavailableException.class);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as("a call while the backend is down").isLessThan(FAST_MS);
    }

    private static String readLine(Socket s) throws IOException {
        s.setSoTimeout(5000);
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = s.getInputStream().read()) >= 0 && c != '\n') if (c != '\r') b.append((char) c);
        return b.toString();
    }
}
