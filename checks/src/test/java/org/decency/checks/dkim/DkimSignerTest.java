package org.decency.checks.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.decency.checks.support.DnsTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Our signer verified by our verifier, every algorithm and canonicalization; tampering breaks it. */
class DkimSignerTest {
    static final KeyPair RSA = TestKeys.rsa(2048);
    static final KeyPair ED = TestKeys.ed25519();

    @TempDir
    Path dir;
    DnsTestSupport dns;
    DkimVerifier verifier;

    @BeforeEach
    void zone() {
        dns = new DnsTestSupport(dir);
        dns.server.add("rsa._domainkey.example.com", "TXT", TestKeys.record(RSA.getPublic()))
                .add("ed._domainkey.example.com", "TXT", TestKeys.record(ED.getPublic()));
        verifier = DkimTestZone.verifier(dns);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    static Stream<Arguments> kinds() {
        return Stream.of(DkimAlgorithm.RSA_SHA256, DkimAlgorithm.ED25519_SHA256).flatMap(a -> Stream.of(Canonicalization.values())
                .flatMap(h -> Stream.of(Canonicalization.values()).map(b -> Arguments.of(a, h, b))));
    }

    @ParameterizedTest(name = "{0} {1}/{2}")
    @MethodSource("kinds")
    void signedMailPassesAndTamperedMailFails(DkimAlgorithm a, Canonicalization h, Canonicalization b) throws Exception {
        String signed = sign(TestMails.PLAIN, key(a), new DkimSigner.Settings(h, b, DkimSignConfig.DEFAULT_HEADERS));

        assertThat(verify(signed)).singleElement().satisfies(r -> {
            assertThat(r.result()).as(r.describe()).isEqualTo(DkimResult.PASS);
            assertThat(r.algorithm()).isEqualTo(a.word());
        });
        assertThat(verify(TestMails.tamperBody(signed))).singleElement().extracting(SignatureResult::why).isEqualTo("body hash mismatch");
        assertThat(verify(TestMails.tamperHeader(signed))).singleElement().extracting(SignatureResult::why).isEqualTo("signature mismatch");
    }

    @Test
    void theSignatureIsFoldedSignsPresentFieldsAndOverSignsFrom() throws Exception {
        String value = DkimSigner.sign(new ByteArrayInputStream(TestMails.crlf(TestMails.PLAIN)), key(DkimAlgorithm.RSA_SHA256),
                new DkimSigner.Settings(Canonicalization.RELAXED, Canonicalization.RELAXED, DkimSignConfig.DEFAULT_HEADERS), 1_795_000_000L);
        assertThat(("DKIM-Signature: " + value).split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        assertThat(value).startsWith("v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=rsa;\r\n\tt=1795000000;");
        TagList tags = TagList.parse(value);
        assertThat(TagList.compact(tags.get("h")))
                .isEqualTo("From:From:To:Cc:Subject:Date:Message-ID:MIME-Version:Content-Type");
    }

    @Test
    void relaxedSurvivesRefoldingOnTheWayAndAddedFieldsOnTop() throws Exception {
        String signed = sign(TestMails.PLAIN, key(DkimAlgorithm.RSA_SHA256),
                new DkimSigner.Settings(Canonicalization.RELAXED, Canonicalization.RELAXED, DkimSignConfig.DEFAULT_HEADERS));
        String moved = "X-Spam: no\r\n" + signed.replace("Subject: Lunch  on\tFriday?\r\n (folded subject)", "subject:Lunch on Friday? (folded subject)")
                .replace("\r\n\r\nHi Bob,  \t", "\r\n\r\nHi Bob,");
        assertThat(verify(moved)).singleElement().extracting(SignatureResult::result).isEqualTo(DkimResult.PASS);
    }

    @Test
    void privateKeyFilesInEveryFormat() throws Exception {
        assertThat(PrivateKeys.load(TestKeys.pkcs8(dir.resolve("a.key"), RSA.getPrivate()))).isEqualTo(RSA.getPrivate());
        assertThat(PrivateKeys.load(TestKeys.pkcs1(dir.resolve("b.key"), RSA.getPrivate())).getEncoded()).isEqualTo(RSA.getPrivate().getEncoded());
        assertThat(PrivateKeys.load(TestKeys.pkcs8(dir.resolve("c.key"), ED.getPrivate())).getEncoded()).isEqualTo(ED.getPrivate().getEncoded());
        byte[] p8 = ED.getPrivate().getEncoded();
        Path seed = Files.writeString(dir.resolve("d.key"), java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(p8, p8.length - 32, p8.length)));
        assertThat(PrivateKeys.load(seed).getEncoded()).as("dknewkey's bare seed").isEqualTo(p8);
        Path encrypted = Files.writeString(dir.resolve("e.key"), TestKeys.pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> PrivateKeys.load(encrypted)).hasMessageEndingWith("an encrypted key; give the key without a pass phrase");
    }

    @Test
    void keysAreFoundPerDomainThenTheFallbackAndChecked() throws Exception {
        Path keys = Files.createDirectory(dir.resolve("keys"));
        TestKeys.pkcs8(keys.resolve("example.com.key"), RSA.getPrivate());
        Path fallback = TestKeys.pkcs8(dir.resolve("default.key"), TestKeys.rsa(1024).getPrivate());
        SigningKeys found = new SigningKeys(keys, fallback, "decency", Map.of("example.net", "s2026"), DkimAlgorithm.RSA_SHA256);

        assertThat(found.forDomain("example.com")).get().satisfies(k -> {
            assertThat(k.key()).isEqualTo(RSA.getPrivate());
            assertThat(k.selector()).isEqualTo("decency");
        });
        assertThat(found.forDomain("example.net")).get().extracting(SigningKey::selector).isEqualTo("s2026");
        assertThat(found.forDomain("../../etc/passwd")).isEmpty();
        assertThat(new SigningKeys(keys, null, "decency", Map.of(), DkimAlgorithm.RSA_SHA256).forDomain("example.net")).isEmpty();
        assertThatThrownBy(() -> new SigningKeys(keys, null, "s", Map.of(), DkimAlgorithm.ED25519_SHA256).forDomain("example.com"))
                .hasMessageEndingWith("a RSA key does not sign ed25519-sha256");
        Path weak = TestKeys.pkcs8(dir.resolve("weak.key"), TestKeys.rsa(512).getPrivate());
        assertThatThrownBy(() -> new SigningKeys(null, weak, "s", Map.of(), DkimAlgorithm.RSA_SHA256).forDomain("example.com"))
                .hasMessageEndingWith("an RSA key of 512 bits; RFC 8301 asks for 1024 or more");
    }

    @Test
    void withoutLengthTextAppendedToTheBodyBreaksTheSignature() throws Exception {
        String signed = sign(TestMails.PLAIN, key(DkimAlgorithm.RSA_SHA256),
                new DkimSigner.Settings(Canonicalization.RELAXED, Canonicalization.SIMPLE, List.of("From")));
        assertThat(verify(signed + "appended\r\n")).singleElement().extracting(SignatureResult::why).isEqualTo("body hash mismatch");
    }

    SigningKey key(DkimAlgorithm a) {
        return a == DkimAlgorithm.RSA_SHA256 ? new SigningKey("example.com", "rsa", a, RSA.getPrivate())
                : new SigningKey("example.com", "ed", a, ED.getPrivate());
    }

    /** The mail with the signature on top, as the Detective writes it. */
    static String sign(String mail, SigningKey key, DkimSigner.Settings settings) throws Exception {
        byte[] raw = TestMails.crlf(mail);
        String value = DkimSigner.sign(new ByteArrayInputStream(raw), key, settings, 1_795_000_000L);
        return "DKIM-Signature: " + value + "\r\n" + new String(raw, StandardCharsets.UTF_8);
    }

    List<SignatureResult> verify(String mail) throws IOException {
        return verifier.verify(new ByteArrayInputStream(mail.getBytes(StandardCharsets.UTF_8)));
    }
}
