package org.decency.detective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.decency.config.ConfigException;
import org.decency.config.ConfigLoader;
import org.decency.forward.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** accept_scoring, doorman_verify_key and accept_scoring_ttl in detective.yml. */
class AcceptScoringTest {
    @TempDir Path dir;
    final List<String> warnings = new ArrayList<>();

    private AcceptScoring read(String yaml) throws Exception {
        return AcceptScoring.read(ConfigLoader.load(Files.writeString(dir.resolve("detective.yml"), yaml)), warnings);
    }

    private void publicKey(String name, String alg, int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
        if (bits > 0) g.initialize(bits);
        KeyPair pair = g.generateKeyPair();
        Files.writeString(dir.resolve(name), Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded()));
    }

    @Test
    void aPublicKeyRelativeToTheConfigFileAndTheWindow() throws Exception {
        publicKey("doorman.pub", "RSA", 2048);
        AcceptScoring a = read("accept_scoring: 1\ndoorman_verify_key: doorman.pub\naccept_scoring_ttl: 5m\n");
        assertThat(a.enabled()).isTrue();
        assertThat(a.verifier().describe()).isEqualTo("RSA-2048");
        assertThat(a.window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(read("accept_scoring: 1\npolicy_verify_key: doorman.pub\n").window()).as("0.1.x name; default window").isEqualTo(Duration.ofMinutes(10));
        assertThat(warnings).isEmpty();
    }

    @Test
    void acceptScoringWithoutAKeyIsAConfigError() {
        assertThatThrownBy(() -> read("accept_scoring: 1\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("detective.yml:1: accept_scoring: needs doorman_verify_key");
    }

    @Test
    void aWeakKeyIsAConfigError() throws Exception {
        publicKey("weak.pub", "RSA", 1024);
        assertThatThrownBy(() -> read("accept_scoring: 1\ndoorman_verify_key: weak.pub\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("detective.yml:2: doorman_verify_key:").hasMessageContaining("1024 bits: too weak");
    }

    @Test
    void aKeyWithoutAcceptScoringIsCheckedAndWarnedAbout() throws Exception {
        publicKey("doorman.pub", "Ed25519", 0);
        assertThat(read("doorman_verify_key: doorman.pub\n").enabled()).isFalse();
        assertThat(warnings).singleElement().asString().contains("doorman_verify_key is set but accept_scoring is off");
        assertThatThrownBy(() -> read("doorman_verify_key: missing.pub\n")).isInstanceOf(ConfigException.class);
    }

    @Test
    void theWindowMustBePositive() {
        assertThatThrownBy(() -> read("accept_scoring_ttl: 0\n")).hasMessageContaining("accept_scoring_ttl: must be more than 0");
    }
}
