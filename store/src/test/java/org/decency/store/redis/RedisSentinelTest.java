package org.decency.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.decency.testkit.Redis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Through a real Sentinel: the store asks it for the master and writes there. */
class RedisSentinelTest {
    @TempDir Path dir;

    @Test
    void theStoreFindsTheMasterThroughTheSentinel() {
        try (Redis master = Redis.start(dir.resolve("master"));
             Redis sentinel = Redis.sentinel(dir.resolve("sentinel"), "decency-master", master.port())) {
            var viaSentinel = new RedisSettings(null, 0, null, null, 0, "decency-master",
                    List.of(new RedisSettings.HostPort("127.0.0.1", sentinel.port())), null, List.of(), Duration.ofSeconds(2), null);
            try (RedisStore s = RedisStore.open(viaSentinel);
                 RedisStore direct = RedisStore.open(RedisSettings.standalone(master.host(), master.port()))) {
                s.put("greylist:t", "1", Duration.ofMinutes(1));
                assertThat(s.increment("throttle:c", 3, Duration.ofMinutes(1))).isEqualTo(3);
                assertThat(direct.get("greylist:t")).as("written on the master").contains("1");
                assertThat(direct.get("throttle:c")).contains("3");
                assertThat(s.settings().describe()).startsWith("redis sentinel decency-master@");
            }
        }
    }
}
