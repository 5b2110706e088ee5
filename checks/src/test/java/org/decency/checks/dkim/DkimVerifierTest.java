package org.decency.checks.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.decency.checks.support.DnsTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verifier's rules beyond the corpus: several signatures, limits, key policy, testing keys. */
class DkimVerifierTest {
    static final KeyPair RSA = TestKeys.rsa(2048);
    static final KeyPair WEAK = TestKeys.rsa(768);
    static final KeyPair ED = TestKeys.ed25519();

    @TempDir
    Path dir;
    DnsTestSupport dns;

    @BeforeEach
    void zone() {
        dns = new DnsTestSupport(dir);
        dns.server.add("a._domainkey.example.com", "TXT", TestKeys.record(RSA.getPublic()))
                .add("weak._domainkey.example.com", "TXT", TestKeys.record(WEAK.getPublic()))
                .add("test._domainkey.example.com", "TXT", TestKeys.record(RSA.getPublic()) + "; t=y")
                .add("ed._domainkey.example.net", "TXT", TestKeys.record(ED.getPublic()))
                .add("wrongtype._domainkey.example.net", "TXT", TestKeys.record(RSA.getPublic()))
                .add("pkcs1._domainkey.example.com", "TXT", "v=DKIM1; p=" + pkcs1Public());
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void aPassAmongSeveralSignaturesDecidesAndEachIsReported() throws Exception {
        String once = sign(TestMails.PLAIN, "example.com", "a", RSA);
        String twice = sign(once, "example.net", "ed", ED);
        String broken = TestMails.tamperHeader(twice).replaceFirst("Subject: Dinner", "Subject: Lunch"); // unchanged again
        List<SignatureResult> results = verify(DkimTestZone.verifier(dns), "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=gone;"
                + " h=from; bh=AAAA; b=AAAA\r\n" + broken);

        assertThat(results).extracting(SignatureResult::result).containsExactly(DkimResult.PERMERROR, DkimResult.PASS, DkimResult.PASS);
        assertThat(DkimSummary.overall(results, false)).isEqualTo(DkimResult.PASS);
        assertThat(results.get(1).algorithm()).isEqualTo("ed25519-sha256");
    }

    @Test
    void signaturesPastTheLimitAreNotChecked() throws Exception {
        String mail = sign(sign(TestMails.PLAIN, "example.com", "a", RSA), "example.net", "ed", ED);
        VerifierPolicy p = DkimTestZone.verifier(dns).policy();
        DkimVerifier one = new DkimVerifier(dns.dns, new VerifierPolicy(false, 1024, 1, p.budget(), p.clock()));

        assertThat(verify(one, mail)).extracting(SignatureResult::describe).containsExactly(
                "d=example.net s=ed a=ed25519-sha256 result=pass",
                "d=example.com s=a a=rsa-sha256 result=neutral why=not checked: more than 1 signatures");
        assertThat(dns.server.asked()).containsExactly("ed._domainkey.example.net/TXT");
    }

    @Test
    void shortRsaKeysAreRefusedByPolicyUnlessAllowed() throws Exception {
        String mail = sign(TestMails.PLAIN, "example.com", "weak", WEAK);

        assertThat(verify(DkimTestZone.verifier(dns), mail)).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(DkimResult.POLICY);
            assertThat(r.why()).isEqualTo("RSA key of 768 bits, under 1024 (RFC 8301)");
        });
        DkimVerifier lenient = new DkimVerifier(dns.dns, DkimTestZone.verifier(dns).policy().withSha1(false, 512));
        assertThat(verify(lenient, mail)).singleElement().extracting(SignatureResult::result).isEqualTo(DkimResult.PASS);
    }

    @Test
    void aKeyInTestingModePassesButCountsAsUnsigned() throws Exception {
        List<SignatureResult> results = verify(DkimTestZone.verifier(dns), sign(TestMails.PLAIN, "example.com", "test", RSA));

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(DkimResult.PASS);
            assertThat(r.testing()).isTrue();
            assertThat(r.describe()).isEqualTo("d=example.com s=test a=rsa-sha256 result=pass (testing)");
        });
        assertThat(DkimSummary.overall(results, false)).isEqualTo(DkimResult.NONE);
        assertThat(AuthenticationResults.value("mx", results)).startsWith("mx; dkim=pass (test mode) header.d=example.com header.s=test header.b=");
    }

    @Test
    void keyTypeAndKeyFormats() throws Exception {
        String ed = sign(TestMails.PLAIN, "example.net", "wrongtype", ED);
        assertThat(verify(DkimTestZone.verifier(dns), ed)).singleElement().extracting(SignatureResult::why)
                .isEqualTo("key type rsa does not fit a=ed25519-sha256");
        String pkcs1 = sign(TestMails.PLAIN, "example.com", "pkcs1", RSA);
        assertThat(verify(DkimTestZone.verifier(dns), pkcs1)).as("a bare PKCS#1 RSA key in p=").singleElement()
                .extracting(SignatureResult::result).isEqualTo(DkimResult.PASS);
    }

    @Test
    void anUnsignedMailIsNotReadPastItsHeaderAndAsksNothing() throws Exception {
        assertThat(verify(DkimTestZone.verifier(dns), TestMails.PLAIN)).isEmpty();
        assertThat(dns.server.queries()).isZero();
    }

    @Test
    void aSlowKeyIsATemperrorWithinTheBudget() throws Exception {
        dns.server.timeout("a._domainkey.example.com");
        VerifierPolicy p = DkimTestZone.verifier(dns).policy();
        DkimVerifier quick = new DkimVerifier(dns.dns, new VerifierPolicy(false, 1024, 5, Duration.ofMillis(200), p.clock()));
        long t0 = System.nanoTime();

        List<SignatureResult> results = verify(quick, sign(TestMails.PLAIN, "example.com", "a", RSA));

        assertThat(results).singleElement().extracting(SignatureResult::result).isEqualTo(DkimResult.TEMPERROR);
        assertThat(DkimSummary.temporary(results)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    }

    static String sign(String mail, String domain, String selector, KeyPair key) throws Exception {
        DkimAlgorithm a = key.getPrivate().getAlgorithm().equals("RSA") ? DkimAlgorithm.RSA_SHA256 : DkimAlgorithm.ED25519_SHA256;
        return DkimSignerTest.sign(mail, new SigningKey(domain, selector, a, key.getPrivate()), DkimSignConfig.DEFAULT_SETTINGS);
    }

    static List<SignatureResult> verify(DkimVerifier v, String mail) throws IOException {
        return v.verify(new ByteArrayInputStream(TestMails.crlf(mail)));
    }

    /** The RSA key as a bare PKCS#1 RSAPublicKey: the BIT STRING inside the SubjectPublicKeyInfo. */
    private static String pkcs1Public() {
        byte[] spki = RSA.getPublic().getEncoded();
        // SEQUENCE(82 xx xx) AlgorithmIdentifier(15) BIT STRING(82 xx xx) 00 <pkcs1>
        return java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(spki, 4 + 15 + 4 + 1, spki.length));
    }
}
