package org.decency.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.decency.testkit.Redis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Redis that goes away and comes back under a Doorman: each module's
 * {@code on_failure} decides what the outage means (the mail deferred, or the module
 * skipped), no answer waits past the cache's timeout much, and the Doorman reconnects by
 * itself once Redis is back.
 */
class StoreOutagePolicyTest {
    @TempDir Path dir;

    private RunningServer doorman(int redisPort, String greylistFailure) throws Exception {
        return DoormanRunner.start(Files.writeString(dir.resolve("doorman-" + greylistFailure + ".yml"), """
                server: {host: 127.0.0.1, port: 0, instances: 2}
                disable_prepend: 1
                cache: {class: redis, host: 127.0.0.1, port: %d, timeout: 1s}
                database: {path: d.db}
                modules:
                  - Greylist: {on_failure: %s}
                """.formatted(redisPort, greylistFailure)));
    }

    @Test
    void tempfailDefersWhileRedisIsDownAndTheDoormanReconnectsWhenItIsBack() throws Exception {
        Redis redis = Redis.start(dir.resolve("redis"));
        int port = redis.port();
        try (RunningServer d = doorman(port, "tempfail")) {
            assertThat(StatsCommandTest.ask(d, "192.0.2.1", "mail.example.net")).as("greylisted").startsWith("action=DEFER_IF_PERMIT");

            redis.close();
            long t0 = System.nanoTime();
            String down = StatsCommandTest.ask(d, "192.0.2.2", "mail.example.net");
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(down).startsWith("action=DEFER 4.3.0 Greylist is not available, try again later");
            assertThat(took).as("no decision hangs past the store's timeout for long").isLessThan(Duration.ofSeconds(5));

            redis = Redis.start(dir.resolve("redis-again"), port);
            String back = "";
            for (int i = 0; i < 50 && !back.startsWith("action=DEFER_IF_PERMIT"); i++) {
                back = StatsCommandTest.ask(d, "192.0.2.3", "mail.example.net");
                if (!back.startsWith("action=DEFER_IF_PERMIT")) Thread.sleep(200);
            }
            assertThat(back).as("greylisted again once Redis is back").startsWith("action=DEFER_IF_PERMIT");
        } finally {
            redis.close();
        }
    }

    @Test
    void skipLetsTheMailPassWhileRedisIsDown() throws Exception {
        Redis redis = Redis.start(dir.resolve("redis"));
        try (RunningServer d = doorman(redis.port(), "skip")) {
            redis.close();
            assertThat(StatsCommandTest.ask(d, "192.0.2.2", "mail.example.net")).isEqualTo("action=DUNNO");
        } finally {
            redis.close();
        }
    }
}
