package org.decency.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Sign and verify with keys made here: what a signature covers and what breaks it. */
class ScoreSignatureTest {
    static final EnvelopeBinding MAIL = EnvelopeBinding.of("192.0.2.1", "alice@example.net", "bob@example.org");

    static KeyPair generate(String alg, int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
        if (bits > 0) g.initialize(bits);
        return g.generateKeyPair();
    }

    /** Made once: RSA keys take a while. */
    private static List<KeyPair> keys;

    static synchronized Stream<KeyPair> keys() throws Exception {
        if (keys == null) keys = List.of(generate("RSA", 2048), generate("RSA", 3072), generate("Ed25519", 0));
        return keys.stream();
    }

    static InstanceHeader header() {
        return InstanceHeader.of("1234abcdefghijklm", -30, 1700000000, Set.of("spf_pass"),
                List.of("Module: Basic; Score: -30; helo not fqdn", "Module: SPF; Score: 0"));
    }

    @ParameterizedTest
    @MethodSource("keys")
    void aSignedHeaderVerifiesAfterTheTripThroughItsText(KeyPair pair) {
        InstanceHeader signed = new ScoreSigner(pair.getPrivate()).sign(header(), MAIL);
        assertThat(signed.signed()).isTrue();
        assertThat(signed.signature()).matches("[A-Za-z0-9_-]+");
        InstanceHeader received = InstanceHeader.parse(signed.value());
        ScoreVerifier verifier = new ScoreVerifier(pair.getPublic());
        assertThat(verifier.verifies(received, MAIL)).isTrue();
        assertThat(verifier.verifies(received, EnvelopeBinding.of("192.0.2.1", "ALICE@example.net", "<bob@Example.org>")))
                .as("the same mail, written otherwise").isTrue();
    }

    @ParameterizedTest
    @MethodSource("keys")
    void aHeaderReplayedOntoAnotherMailFails(KeyPair pair) {
        InstanceHeader signed = new ScoreSigner(pair.getPrivate()).sign(header(), MAIL);
        ScoreVerifier verifier = new ScoreVerifier(pair.getPublic());
        assertThat(verifier.verifies(signed, EnvelopeBinding.of("192.0.2.1", "alice@example.net", "carol@example.org"))).isFalse();
        assertThat(verifier.verifies(signed, EnvelopeBinding.of("192.0.2.1", "mallory@example.net", "bob@example.org"))).isFalse();
        assertThat(verifier.verifies(signed, EnvelopeBinding.of("192.0.2.2", "alice@example.net", "bob@example.org"))).isFalse();
        assertThat(verifier.verifies(signed, EnvelopeBinding.of("", "alice@example.net", "bob@example.org"))).isFalse();
    }

    @ParameterizedTest
    @MethodSource("keys")
    void aChangedFieldFails(KeyPair pair) {
        InstanceHeader s = new ScoreSigner(pair.getPrivate()).sign(header(), MAIL);
        ScoreVerifier verifier = new ScoreVerifier(pair.getPublic());
        List<InstanceHeader> tampered = List.of(
                new InstanceHeader(s.id(), s.signature(), "30", s.epoch(), s.flags(), s.details()),
                new InstanceHeader(s.id(), s.signature(), "-30.0", s.epoch(), s.flags(), s.details()),
                new InstanceHeader(s.id(), s.signature(), s.score(), s.epoch() + 600, s.flags(), s.details()),
                new InstanceHeader(s.id(), s.signature(), s.score(), s.epoch(), List.of("spf_pass", "whitelisted"), s.details()),
                new InstanceHeader(s.id(), s.signature(), s.score(), s.epoch(), s.flags(), List.of(s.details().getFirst())),
                new InstanceHeader(s.id(), s.signature(), s.score(), s.epoch(), s.flags(),
                        List.of("Module: Basic; Score: -3; helo not fqdn", "Module: SPF; Score: 0")),
                new InstanceHeader("9999abcdefghijklm", s.signature(), s.score(), s.epoch(), s.flags(), s.details()),
                s.withSignature(InstanceHeader.UNSIGNED),
                s.withSignature("not*base64"),
                s.withSignature(s.signature().substring(4)));
        for (InstanceHeader t : tampered) assertThat(verifier.verifies(t, MAIL)).as(t.value()).isFalse();
        assertThat(verifier.verifies(s, MAIL)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("keys")
    void anotherKeyDoesNotVerify(KeyPair pair) throws Exception {
        InstanceHeader s = new ScoreSigner(pair.getPrivate()).sign(header(), MAIL);
        KeyPair other = pair.getPublic().getAlgorithm().equals("RSA") ? generate("RSA", 2048) : generate("Ed25519", 0);
        assertThat(new ScoreVerifier(other.getPublic()).verifies(s, MAIL)).isFalse();
    }

    @ParameterizedTest
    @MethodSource("keys")
    void theSignedHeaderFitsTheLineAndStillVerifies(KeyPair pair) throws Exception {
        List<String> details = new ArrayList<>();
        for (int i = 0; i < 60; i++) details.add("Module: M" + i + "; Score: -1; some detail of a check");
        InstanceHeader h = InstanceHeader.of("1234abcdefghijklm", -60, 1700000000, Set.of("spf_pass"), details);
        InstanceHeader s = new ScoreSigner(pair.getPrivate()).sign(h, MAIL);
        assertThat(s.value().length()).isLessThanOrEqualTo(InstanceHeader.MAX_VALUE);
        assertThat(s.details()).isNotEmpty().hasSizeLessThan(60);
        assertThat(new ScoreVerifier(pair.getPublic()).verifies(InstanceHeader.parse(s.value()), MAIL)).isTrue();
    }

    @org.junit.jupiter.api.Test
    void rsa4096StillFitsAndWeakOrHugeKeysAreRefused() throws Exception {
        KeyPair big = generate("RSA", 4096);
        InstanceHeader s = new ScoreSigner(big.getPrivate()).sign(header(), MAIL);
        assertThat(s.value().length()).isLessThanOrEqualTo(InstanceHeader.MAX_VALUE);
        assertThat(new ScoreVerifier(big.getPublic()).verifies(s, MAIL)).isTrue();
        KeyPair weak = generate("RSA", 1024);
        assertThatThrownBy(() -> new ScoreSigner(weak.getPrivate())).hasMessageContaining("1024 bits: too weak");
        assertThatThrownBy(() -> new ScoreVerifier(weak.getPublic())).hasMessageContaining("1024 bits: too weak");
        KeyPair ec = generate("EC", 256);
        assertThatThrownBy(() -> new ScoreSigner(ec.getPrivate())).hasMessageContaining("an EC key: only RSA");
    }
}
