package org.decency.doorman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import org.decency.config.ConfigException;
import org.decency.config.ConfigLoader;
import org.decency.forward.Pem;
import org.decency.forward.ScoreSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** forward_scoring and forward_sign_key in doorman.yml. */
class ForwardScoringTest {
    @TempDir Path dir;
    final List<String> warnings = new ArrayList<>();

    private ScoreSigner read(String yaml) throws Exception {
        Path cfg = Files.writeString(dir.resolve("doorman.yml"), yaml);
        return ForwardScoring.read(ConfigLoader.load(cfg), warnings);
    }

    private Path key(String name, String alg, int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
        if (bits > 0) g.initialize(bits);
        KeyPair pair = g.generateKeyPair();
        Path p = Files.createDirectories(dir.resolve("keys")).resolve(name);
        Files.writeString(p, Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    @Test
    void aKeyRelativeToTheConfigFileSigns() throws Exception {
        key("sign.key", "Ed25519", 0);
        ScoreSigner signer = read("forward_scoring: 1\nforward_sign_key: keys/sign.key\n");
        assertThat(signer).isNotNull();
        assertThat(signer.describe()).isEqualTo("Ed25519");
        assertThat(warnings).isEmpty();
    }

    @Test
    void nothingSetMeansUnsigned() throws Exception {
        assertThat(read("forward_scoring: 0\n")).isNull();
        assertThat(read("server: {port: 0}\n")).isNull();
        assertThat(warnings).isEmpty();
    }

    @Test
    void forwardScoringWithoutAKeyIsAConfigError() {
        assertThatThrownBy(() -> read("server: {port: 0}\nforward_scoring: 1\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("doorman.yml:2: forward_scoring: needs forward_sign_key");
    }

    @Test
    void aWeakRsaKeyIsAConfigErrorAtItsLine() throws Exception {
        key("weak.key", "RSA", 1024);
        assertThatThrownBy(() -> read("forward_scoring: 1\nforward_sign_key: keys/weak.key\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("doorman.yml:2: forward_sign_key: ")
                .hasMessageContaining("weak.key holds an RSA key of 1024 bits: too weak");
    }

    @Test
    void aMissingKeyFileIsAConfigError() {
        assertThatThrownBy(() -> read("forward_scoring: 1\nforward_sign_key: nope.key\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.key cannot be read");
    }

    @Test
    void aKeyWithoutForwardScoringIsCheckedAndWarnedAbout() throws Exception {
        key("sign.key", "RSA", 2048);
        assertThat(read("forward_sign_key: keys/sign.key\n")).isNull();
        assertThat(warnings).singleElement().asString().contains("forward_sign_key is set but forward_scoring is off");
    }

    @Test
    void aKeyOthersMayReadIsWarnedAbout() throws Exception {
        Path p = key("sign.key", "Ed25519", 0);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(read("forward_scoring: 1\nforward_sign_key: keys/sign.key\n")).isNotNull();
        assertThat(warnings).singleElement().asString().contains("is readable by other users; chmod 600 it");
    }
}
