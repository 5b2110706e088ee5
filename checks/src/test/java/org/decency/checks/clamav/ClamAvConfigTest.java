package org.decency.checks.clamav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.decency.pipeline.OnFailure;
import org.decency.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ClamAV module's settings and their errors, with file and line. */
class ClamAvConfigTest {
    @TempDir
    Path dir;

    ClamAvConfig config(String yaml) {
        try (ClamAvCheck check = ClamAvTesting.check(dir, yaml)) {
            return check.config();
        }
    }

    @Test
    void defaults() {
        ClamAvConfig c = config("path: /var/run/clamav/clamd.ctl\n");

        assertThat(c.clamd()).isEqualTo(ClamdAddress.unix(Path.of("/var/run/clamav/clamd.ctl")));
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.maxSize().maxBytes()).isZero();
        assertThat(c.onFailure()).isEqualTo(OnFailure.TEMPFAIL);
        assertThat(c.weightVirus()).isZero();
    }

    @Test
    void tcpWithTheDefaultHostAndEveryOption() {
        assertThat(config("port: 3310\n").clamd()).isEqualTo(ClamdAddress.tcp("127.0.0.1", 3310));
        ClamAvConfig c = config("host: \"[::1]\"\nport: 3311\ntimeout: 40s\nmax_size: 20m\non_failure: skip\nweight_virus: -30\n");

        assertThat(c.clamd()).isEqualTo(ClamdAddress.tcp("::1", 3311));
        assertThat(c.clamd()).hasToString("[::1]:3311");
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(40));
        assertThat(c.maxSize().maxBytes()).isEqualTo(20L * 1024 * 1024);
        assertThat(c.onFailure()).isEqualTo(OnFailure.SKIP);
        assertThat(c.weightVirus()).isEqualTo(-30);
    }

    @Test
    void aRelativeSocketPathIsTheConfigFilesFolders() {
        assertThat(config("path: run/clamd.ctl\n").clamd().socket()).isEqualTo(dir.toAbsolutePath().resolve("run/clamd.ctl"));
    }

    @Test
    void errorsNameFileLineAndKey() {
        assertThatThrownBy(() -> config("path: /run/clamd.ctl\nport: 3310\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("clamav.yml:2: port: either path (clamd's unix socket) or host and port (its TCP socket), not both");
        assertThatThrownBy(() -> config("host: clamav.example\npath: /run/clamd.ctl\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("clamav.yml:1: host: either path");
        assertThatThrownBy(() -> config("timeout: 20s\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("clamav.yml:1: path: is required: clamd's unix socket (its LocalSocket, e.g. /var/run/clamav/clamd.ctl), or host and port (its TCPSocket)");
        assertThatThrownBy(() -> config("timeout: 20s\nhost: 127.0.0.1\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("clamav.yml:2: port: is required with host");
        assertThatThrownBy(() -> config("port: 70000\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("clamav.yml:1: port: expected a port from 1 to 65535, got 70000");
        assertThatThrownBy(() -> config("port: 3310\non_failure: retry\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("clamav.yml:2: on_failure: expected skip or tempfail, got \"retry\"");
        assertThatThrownBy(() -> config("port: 3310\nweight_virus: 50\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("clamav.yml:2: weight_virus: a virus is a reason against the mail: expected 0 or a negative score, got 50.0");
        assertThatThrownBy(() -> config("port: 3310\nmax_sise: 1m\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("clamav.yml:2: max_sise: unknown key");
    }
}
