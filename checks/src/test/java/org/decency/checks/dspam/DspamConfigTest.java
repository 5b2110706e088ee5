package org.decency.checks.dspam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.decency.pipeline.OnFailure;
import org.decency.config.ConfigException;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;
import org.decency.core.ManualClock;
import org.decency.pipeline.ModuleOptions;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DSPAM module's settings: the seeds' keys and defaults, and errors that name file and line. */
class DspamConfigTest {
    @TempDir
    Path dir;

    DspamConfig load(String yaml) throws IOException {
        Path f = Files.writeString(dir.resolve("dspam.yml"), yaml);
        ConfigNode n = ConfigLoader.loadFile(f, "");
        ModuleOptions.read("DSPAM", n);
        ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));
        CheckEnvironment env = new CheckEnvironment(new InMemoryStore(clock), clock, dir, "detective", List.of(), List.of());
        try (DspamCheck c = (DspamCheck) new DspamFactory().create("DSPAM", n, env)) {
            return DspamConfig.from(ConfigLoader.loadFile(f, ""));
        }
    }

    @Test
    void theDefaultsAreTheSeeds() throws IOException {
        DspamConfig c = load("{}\n");

        assertThat(c.endpoint()).hasToString("127.0.0.1:1024");
        assertThat(c.ident().address()).isEqualTo("secret@Relay1");
        assertThat(c.ident()).hasToString("client_ident ...@Relay1");
        assertThat(c.weights().innocent()).isEqualTo(10);
        assertThat(c.weights().spam()).isEqualTo(-50);
        assertThat(c.maxSize().maxBytes()).isZero();
        assertThat(c.lmtpTimeout()).isEqualTo(Duration.ofSeconds(14));
        assertThat(c.onFailure()).isEqualTo(OnFailure.SKIP);
        assertThat(c.user().defaultUser()).isEmpty();
    }

    @Test
    void aSeedsStyleFileLoads() throws IOException {
        DspamConfig c = load("""
                ---
                disable: 0
                timeout: 30
                host: 192.0.2.10
                port: 17000
                client_ident: 'pw@Relay2'
                default_user: dspam
                weight_innocent: 5
                weight_spam: -80
                max_size: 512k
                on_failure: tempfail
                """);

        assertThat(c.endpoint()).hasToString("192.0.2.10:17000");
        assertThat(c.ident().relay()).isEqualTo("Relay2");
        assertThat(c.user().defaultUser()).isEqualTo("dspam");
        assertThat(c.weights().spam()).isEqualTo(-80);
        assertThat(c.maxSize().maxBytes()).isEqualTo(512 * 1024);
        assertThat(c.lmtpTimeout()).isEqualTo(Duration.ofSeconds(29));
        assertThat(c.onFailure()).isEqualTo(OnFailure.TEMPFAIL);
    }

    @Test
    void theOldDspamPrefixedNamesAndAUnixSocketLoad() throws IOException {
        assertThat(load("dspam_host: ::1\ndspam_port: 24\ndspam_client_ident: a@b\n").endpoint()).hasToString("[::1]:24");
        assertThat(load("socket: run/dspam.sock\n").endpoint().socket()).isEqualTo(dir.resolve("run/dspam.sock").toAbsolutePath());
    }

    @Test
    void theLmtpTimeoutIsTheModuleTimeoutLessASecondButAtLeastOne() {
        assertThat(DspamConfig.lmtpTimeout(Duration.ofSeconds(15))).isEqualTo(Duration.ofSeconds(14));
        assertThat(DspamConfig.lmtpTimeout(Duration.ofMillis(2500))).isEqualTo(Duration.ofMillis(1500));
        assertThat(DspamConfig.lmtpTimeout(Duration.ofMillis(1500))).isEqualTo(Duration.ofSeconds(1));
        assertThat(DspamConfig.lmtpTimeout(Duration.ofMillis(200))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void errorsNameFileLineAndKey() {
        String f = dir.resolve("dspam.yml").toString();
        assertThatThrownBy(() -> load("host: 127.0.0.1\nport: 70000\n")).isInstanceOf(ConfigException.class)
                .hasMessage(f + ":2: port: expected a port from 1 to 65535, got 70000");
        assertThatThrownBy(() -> load("port: dspam\n")).hasMessageStartingWith(f + ":1: port: expected a whole number");
        assertThatThrownBy(() -> load("weight_spam: -60\nclient_ident: secret\n"))
                .hasMessageStartingWith(f + ":2: client_ident: expected password@relay as in dspam.conf's ServerPass.<relay>");
        assertThatThrownBy(() -> load("client_ident: 'se cret@Relay1'\n")).hasMessageContaining(":1: client_ident: expected password@relay");
        assertThatThrownBy(() -> load("client_ident: a@b@c\n")).hasMessageContaining(":1: client_ident: expected password@relay");
        assertThatThrownBy(() -> load("host: 127.0.0.1\nsocket: /run/dspam.sock\n"))
                .hasMessage(f + ":2: socket: give either socket or host and port, not both");
        assertThatThrownBy(() -> load("weight_translate: {5: -20}\n"))
                .hasMessage(f + ":1: weight_translate: DSPAM answers with a class, not a score to translate: use weight_innocent and weight_spam");
        assertThatThrownBy(() -> load("\nweight_spam: 20\n")).hasMessageStartingWith(f + ":2: weight_spam: spam scores are negative");
        assertThatThrownBy(() -> load("on_failure: retry\n")).hasMessage(f + ":1: on_failure: expected skip or tempfail, got \"retry\"");
        assertThatThrownBy(() -> load("max_size: huge\n")).hasMessageStartingWith(f + ":1: max_size:");
        assertThatThrownBy(() -> load("port: 1024\nhots: 127.0.0.1\n")).hasMessageStartingWith(f + ":2: hots: unknown key; expected one of:");
    }
}
