package org.decency.checks.greylist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.decency.checks.support.ClientNet;
import org.decency.config.ConfigException;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;
import org.decency.core.ManualClock;
import org.decency.pipeline.ModuleOptions;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Greylist settings: defaults, the seeds' keys, and errors that name file, line and key. */
class GreylistConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreTheDocumentedOnes() throws IOException {
        GreylistConfig c = GreylistConfig.from(load(""));

        assertThat(c).isEqualTo(new GreylistConfig(Duration.ofMinutes(5), Duration.ofDays(2), Duration.ofDays(35),
                "DEFER_IF_PERMIT", "Greylisted, please retry in %s", new ClientNet(24, 64), 5, 5, 10, false));
    }

    @Test
    void theSeedsKeysLoad() throws IOException {
        ConfigNode n = load("""
                ---
                disable: 0
                timeout: 30
                handle_localhost: 1
                min_interval: 60
                recipient_domain_threshold: 2
                sender_domain_threshold: 3
                maintenance_ttl: 90d
                tables: []
                ignore_ip_if_validated: 1
                """);
        ModuleOptions.read("Greylist", n);
        GreylistConfig c = GreylistConfig.from(n);
        n.finish();

        assertThat(c.delay()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.lifetime()).isEqualTo(Duration.ofDays(90));
        assertThat(c.recipientDomainThreshold()).isEqualTo(2);
        assertThat(c.senderDomainThreshold()).isEqualTo(3);
        assertThat(c.ignoreIpIfValidated()).isTrue();
    }

    @Test
    void theNewNamesWinOverTheSeedAliases() throws IOException {
        GreylistConfig c = GreylistConfig.from(load("delay: 2m\nmin_interval: 10m\nlifetime: 7d\nmaintenance_ttl: 90d\n"));

        assertThat(c.delay()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.lifetime()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void aRetryWindowNotLongerThanTheDelayIsRefused() {
        assertThatThrownBy(() -> create("delay: 10m\nretry_window: 10m\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":2: retry_window: must be longer than delay (600s)");
        assertThatThrownBy(() -> create("retry_window: 1m\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":1: retry_window: must be longer than delay (300s)");
    }

    @Test
    void aDelayLongerThanTheDefaultRetryWindowIsBlamedOnTheDelay() {
        assertThatThrownBy(() -> create("# long\nmin_interval: 3d\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":2: min_interval: must be shorter than retry_window (172800s)");
    }

    @Test
    void greylistingMustDefer() {
        assertThatThrownBy(() -> create("delay: 1m\naction: REJECT\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":2: action: greylisting must defer: expected DEFER_IF_PERMIT, DEFER or a 4xx code, got \"REJECT\"");
        assertThatThrownBy(() -> create("action: 550\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":1: action: greylisting must defer: expected DEFER_IF_PERMIT, DEFER or a 4xx code, got \"550\"");
        assertThatThrownBy(() -> create("action: \" 550 \"\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":1: action: greylisting must defer: expected DEFER_IF_PERMIT, DEFER or a 4xx code, got \" 550 \"");
        assertThatThrownBy(() -> create("action: OK\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining(":1: action: greylisting must defer");
        assertThatThrownBy(() -> create("action: DEFER_IF_REJECT\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining(":1: action: greylisting must defer");
        assertThatThrownBy(() -> create("action: LATER\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":1: action: expected DEFER_IF_PERMIT, DEFER or a 4xx code, got \"LATER\"");
    }

    @Test
    void aBadPrefixIsRefused() {
        assertThatThrownBy(() -> create("client_net_v4: 33\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":1: client_net_v4: expected a prefix length from 1 to 32");
        assertThatThrownBy(() -> create("client_net_v4: 24\nclient_net_v6: 0\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":2: client_net_v6: expected a prefix length from 1 to 128");
        assertThatThrownBy(() -> create("client_net_v4: /24\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":1: client_net_v4: expected a whole number, got \"/24\"");
    }

    @Test
    void otherBadValuesAreRefusedWithFileAndLine() {
        assertThatThrownBy(() -> create("auto_whitelist_clients: -1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":1: auto_whitelist_clients: expected 0 (off) or more");
        assertThatThrownBy(() -> create("delay: soon\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file() + ":1: delay: expected a duration");
        assertThatThrownBy(() -> create("ignore_ip_if_validated: maybe\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file() + ":1: ignore_ip_if_validated: expected true or false");
        assertThatThrownBy(() -> create("delay: 1m\nmin_intervall: 2m\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file() + ":2: min_intervall: unknown key; expected one of: delay, min_interval");
    }

    private Path file() {
        return dir.resolve("greylist.yml");
    }

    private ConfigNode load(String yaml) throws IOException {
        return ConfigLoader.loadFile(Files.writeString(file(), yaml), "");
    }

    private void create(String yaml) throws IOException {
        ManualClock clock = new ManualClock(Instant.EPOCH);
        new GreylistFactory().create("Greylist", load(yaml),
                new CheckEnvironment(new InMemoryStore(clock), clock, dir, "doorman", List.of(), List.of()));
    }
}
