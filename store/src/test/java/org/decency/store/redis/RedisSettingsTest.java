package org.decency.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.decency.store.redis.RedisSettings.HostPort;
import org.junit.jupiter.api.Test;

class RedisSettingsTest {

    @Test
    void addressesWithAndWithoutPorts() {
        assertThat(HostPort.parse("redis1:7000", 6379)).isEqualTo(new HostPort("redis1", 7000));
        assertThat(HostPort.parse("redis1", 6379)).isEqualTo(new HostPort("redis1", 6379));
        assertThat(HostPort.parse("[::1]:7001", 6379)).isEqualTo(new HostPort("::1", 7001));
        assertThat(HostPort.parse("[::1]", 26379)).isEqualTo(new HostPort("::1", 26379));
        assertThat(HostPort.parse("::1", 6379)).as("bare IPv6 without port").isEqualTo(new HostPort("::1", 6379));
        assertThatThrownBy(() -> HostPort.parse("redis1:0", 6379)).hasMessageContaining("bad port");
    }

    @Test
    void modesExcludeEachOtherAndNeverShowThePassword() {
        var sentinel = new RedisSettings(null, 0, null, "secret", 2, "mymaster",
                List.of(new HostPort("s1", 26379), new HostPort("s2", 26379)), null, List.of(), Duration.ofSeconds(1), null);
        assertThat(sentinel.describe()).isEqualTo("redis sentinel mymaster@[s1:26379, s2:26379]/2").doesNotContain("secret");
        assertThat(sentinel.prefix()).isEqualTo("decency:");
        assertThatThrownBy(() -> new RedisSettings(null, 0, null, null, 1, null, List.of(), null, List.of(new HostPort("c1", 7000)),
                Duration.ofSeconds(1), null)).hasMessageContaining("only database 0");
        assertThatThrownBy(() -> new RedisSettings(null, 0, null, null, 0, "m", List.of(new HostPort("s", 1)), null,
                List.of(new HostPort("c1", 7000)), Duration.ofSeconds(1), null)).hasMessageContaining("exclude");
    }
}
