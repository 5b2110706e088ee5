package org.decency.checks.awl;

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
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AWL settings: the documented defaults and errors that name file, line and key. */
class AwlConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreTheDocumentedOnes() throws IOException {
        assertThat(AwlConfig.from(load(""))).isEqualTo(new AwlConfig(AwlConfig.Scope.SENDER_DOMAIN, new ClientNet(24, 64), 5, 0, 20,
                false, Duration.ofDays(60), true));
    }

    @Test
    void theDocumentedExampleLoads() throws IOException {
        ConfigNode n = load("""
                scope: Sender              # what is paired with the client net
                client_net_v4: 32
                client_net_v6: 48
                pass_count: 3
                min_score: -5.5
                weight: 30
                final_ok: yes
                lifetime: 2w
                forget_on_reject: 0
                """);
        AwlConfig c = AwlConfig.from(n);
        n.finish();

        assertThat(c).isEqualTo(new AwlConfig(AwlConfig.Scope.SENDER, new ClientNet(32, 48), 3, -5.5, 30, true, Duration.ofDays(14), false));
    }

    @Test
    void badValuesAreRefusedWithFileAndLine() {
        assertThatThrownBy(() -> create("scope: recipient\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":1: scope: expected sender, sender_domain or client, got \"recipient\"");
        assertThatThrownBy(() -> create("pass_count: 2\nclient_net_v4: 0\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":2: client_net_v4: expected a prefix length from 1 to 32");
        assertThatThrownBy(() -> create("client_net_v6: 129\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":1: client_net_v6: expected a prefix length from 1 to 128");
        assertThatThrownBy(() -> create("pass_count: 0\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":1: pass_count: must be at least 1");
        assertThatThrownBy(() -> create("weight: -20\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":1: weight: must be 0 or positive (positive scores count as ham)");
        assertThatThrownBy(() -> create("lifetime: 0\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":1: lifetime: must be more than 0");
        assertThatThrownBy(() -> create("final_ok: sometimes\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file() + ":1: final_ok: expected true or false");
        assertThatThrownBy(() -> create("pass_count: 2\npasscount: 3\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file() + ":2: passcount: unknown key; expected one of: scope, client_net_v4");
    }

    private Path file() {
        return dir.resolve("awl.yml");
    }

    private ConfigNode load(String yaml) throws IOException {
        return ConfigLoader.loadFile(Files.writeString(file(), yaml), "");
    }

    private void create(String yaml) throws IOException {
        ManualClock clock = new ManualClock(Instant.EPOCH);
        new AwlFactory().create("AWL", load(yaml), new CheckEnvironment(new InMemoryStore(clock), clock, dir, "doorman", List.of(), List.of()));
    }
}
