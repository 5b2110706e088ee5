package org.decency.checks.honeypot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.decency.config.ConfigException;
import org.decency.config.ConfigLoader;
import org.decency.core.CheckEnvironment;
import org.decency.core.ManualClock;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HoneypotConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsFollowTheSeeds() throws IOException {
        HoneypotConfig c = HoneypotConfig.from(load("domains: Honey.Example"));

        assertThat(c.domains()).isEqualTo(Map.of("honey.example", Set.of()));
        assertThat(c.addresses()).isEmpty();
        assertThat(c.rejectMessage()).isEqualTo("Your host ip is blacklisted.");
        assertThat(c.welcomeMessage()).isEqualTo("The honey has been served.");
        assertThat(c.markTtl()).isEqualTo(Duration.ofDays(14));
        assertThat(c.score()).isEmpty();
        assertThat(c.passForCollection()).isFalse();
        assertThat(c.negativeCache()).isTrue();
    }

    @Test
    void exceptionsOfTheSameDomainAreMerged() throws IOException {
        HoneypotConfig c = HoneypotConfig.from(load("""
                domains:
                  - {domain: example.net, exceptions: postmaster}
                  - {domain: EXAMPLE.net, exceptions: [abuse]}
                """));

        assertThat(c.domains()).isEqualTo(Map.of("example.net", Set.of("postmaster", "abuse")));
    }

    @Test
    void unknownKeysAreRefusedWithFileAndLine() {
        assertThatThrownBy(() -> create("""
                addresses: trap@example.org
                welcome: hi
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir.resolve("honeypot.yml") + ":2: welcome: unknown key");
        assertThatThrownBy(() -> create("""
                domains:
                  - domain: example.net
                    exception: [postmaster]
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("honeypot.yml:3: domains[0].exception: unknown key");
    }

    @Test
    void badValuesAreRefusedWithFileAndLine() {
        assertThatThrownBy(() -> create("addresses: [trap@example.org, nobody]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("honeypot.yml:1: ").hasMessageContaining("expected a mail address");
        assertThatThrownBy(() -> create("domains: [\"a@b.example\"]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("honeypot.yml:1: ").hasMessageContaining("expected a domain");
        assertThatThrownBy(() -> create("domains: [{domain: x.example, exceptions: [a@x.example]}]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expected a local part");
        assertThatThrownBy(() -> create("domains: [{exceptions: [a]}]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("domain: is required");
        assertThatThrownBy(() -> create("mark_ttl: soon"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("honeypot.yml:1: mark_ttl: expected a duration");
        assertThatThrownBy(() -> create("mark_ttl: 0"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be more than 0");
    }

    @Test
    void scoreMustBeNegativeAndExcludesCollection() {
        assertThatThrownBy(() -> create("score: 5"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("honeypot.yml:1: score: must be negative");
        assertThatThrownBy(() -> create("""
                pass_for_collection: 1
                score: -5
                """))
                .isInstanceOf(ConfigException.class).hasMessageContaining("honeypot.yml:2: score: cannot be combined with pass_for_collection");
    }

    private org.decency.config.ConfigNode load(String yaml) throws IOException {
        return ConfigLoader.loadFile(Files.writeString(dir.resolve("honeypot.yml"), yaml), "");
    }

    private void create(String yaml) throws IOException {
        ManualClock clock = new ManualClock(Instant.EPOCH);
        new HoneypotFactory().create("Honeypot", load(yaml),
                new CheckEnvironment(new InMemoryStore(clock), clock, dir, "doorman", List.of(), List.of()));
    }
}
