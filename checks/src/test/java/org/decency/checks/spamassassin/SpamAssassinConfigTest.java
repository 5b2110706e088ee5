package org.decency.checks.spamassassin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.decency.checks.spamassassin.SpamAssassinTesting.check;

import java.nio.file.Path;
import java.time.Duration;
import org.decency.pipeline.OnFailure;
import org.decency.config.ConfigException;
import org.decency.config.ConfigNode;
import org.decency.pipeline.ModuleOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SpamAssassin settings: the documented defaults, every key, and errors that name file, line and key. */
class SpamAssassinConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreTheDocumentedOnes() {
        SpamAssassinConfig c = check(dir, "{}\n").config();

        assertThat(c.spamd()).isEqualTo(SpamdAddress.tcp("127.0.0.1", 783));
        assertThat(c.spamd()).hasToString("127.0.0.1:783");
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.maxSize().maxBytes()).isEqualTo(500 * 1024);
        assertThat(c.onFailure()).isEqualTo(OnFailure.SKIP);
        assertThat(c.report()).isFalse();
        assertThat(c.weights().innocent()).isEqualTo(10);
        assertThat(c.weights().spam()).isEqualTo(-50);
        assertThat(c.weights().translate()).isNull();
        assertThat(c.user().defaultUser()).isEmpty();
        assertThat(c.user().cmdUser()).isEmpty();
    }

    @Test
    void everyKeyIsRead() {
        SpamAssassinConfig c = check(dir, """
                host: "[::1]"
                port: 7830
                timeout: 40s
                max_size: 2m
                on_failure: tempfail
                report: 1
                weight_innocent: 5
                weight_spam: -70
                weight_translate: {0: 10, 2: 0, 5: -20, 10: -60, 20: -100}
                default_user: spamassassin
                cmd_user: "cut -d@ -f1"
                """).config();

        assertThat(c.spamd()).hasToString("[::1]:7830");
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(40));
        assertThat(c.maxSize().maxBytes()).isEqualTo(2 << 20);
        assertThat(c.onFailure()).isEqualTo(OnFailure.TEMPFAIL);
        assertThat(c.report()).isTrue();
        assertThat(c.weights().score(false, 0)).isEqualTo(10);
        assertThat(c.weights().score(false, 1)).isEqualTo(0);
        assertThat(c.weights().score(false, 4.9)).isEqualTo(-20);
        assertThat(c.weights().score(true, 5)).isEqualTo(-60);
        assertThat(c.weights().score(true, 12)).isEqualTo(-100);
        assertThat(c.weights().score(true, 1000)).isEqualTo(-100);
        assertThat(c.user().defaultUser()).isEqualTo("spamassassin");
        assertThat(c.user().cmdUser()).containsExactly("/bin/sh", "-c", "cut -d@ -f1");
    }

    @Test
    void aRelativeSocketIsFoundBesideTheConfigFile() {
        SpamAssassinConfig c = check(dir, "socket: run/spamd.sock\nmax_size: 0\n").config();

        assertThat(c.spamd()).isEqualTo(SpamdAddress.unix(dir.resolve("run/spamd.sock").toAbsolutePath()));
        assertThat(c.maxSize().maxBytes()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "socket: /run/spamd.sock\\nport: 783                 | 2 | port: either socket (spamd's unix socket) or host and port (its TCP listener), not both",
            "host: 127.0.0.1\\nsocket: /run/spamd.sock           | 1 | host: either socket (spamd's unix socket) or host and port (its TCP listener), not both",
            "socket: ' '                                         | 1 | socket: expected the path of spamd's unix socket (its --socketpath), e.g. /run/spamd.sock",
            "port: 70000                                         | 1 | port: expected a port from 1 to 65535, got 70000",
            "port: spamd                                         | 1 | port: expected a whole number, got \"spamd\"",
            "host: ''                                            | 1 | host: expected spamd's host name or address",
            "on_failure: retry                                   | 1 | on_failure: expected skip or tempfail, got \"retry\"",
            "report: maybe                                       | 1 | report: expected true or false (or 1/0), got \"maybe\"",
            "max_size: lots                                      | 1 | max_size: expected a size like 1048576, 512k, 50m or 1g, got \"lots\"",
            "weight_spam: 50                                     | 1 | weight_spam: spam scores are negative in Decency, got 50.0",
            "weight_innocent: -5                                 | 1 | weight_innocent: expected 0 or more, got -5.0",
            "weight_translate: {high: -50}                       | 1 | weight_translate.high: weight_translate keys are the engine's scores (numbers), got \"high\"",
            "weight_translate: [5, -50]                          | 1 | weight_translate: expected a mapping {engine score: Decency score}",
            "timeout: 0                                          | 1 | timeout: must be more than 0",
            "hots: 127.0.0.1                                     | 1 | hots: unknown key; expected one of: "})
    void mistakesNameFileLineAndKey(String yaml, int line, String problem) {
        ConfigNode n = SpamAssassinTesting.yaml(dir, yaml.replace("\\n", "\n") + "\n");

        assertThatThrownBy(() -> {
            ModuleOptions.read("SpamAssassin", n);
            new SpamAssassinFactory().create("SpamAssassin", n, SpamAssassinTesting.env(dir));
        }).isInstanceOf(ConfigException.class).hasMessageStartingWith(n.file() + ":" + line + ": " + problem);
    }
}
