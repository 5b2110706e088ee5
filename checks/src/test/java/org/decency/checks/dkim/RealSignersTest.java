package org.decency.checks.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.decency.checks.support.DnsTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Interoperability with real DKIM implementations, keys made by the test and served by
 * the loopback DNS server: mails signed by OpenDKIM (opendkim-genkey, opendkim-testmsg) and
 * by dkimpy (dknewkey, dkimsign) verify with our verifier, and stop verifying once changed;
 * mails signed by our signer verify with dkimpy (a small wrapper gives it our DNS server).
 */
class RealSignersTest {
    static final String DOMAIN = "example.com";

    @TempDir
    Path dir;
    DnsTestSupport dns;

    @BeforeEach
    void zone() {
        dns = new DnsTestSupport(dir);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void openDkimSignsRsaSha1WhichRfc8301RefusesAndTheLenientPolicyPasses() throws IOException {
        Path genkey = ExternalTools.require("opendkim-genkey", "opendkim-tools");
        Path testmsg = ExternalTools.require("opendkim-testmsg", "opendkim-tools");
        // opendkim-genkey limits its keys to sha256 (h=sha256) unless told otherwise
        ExternalTools.ok(List.of(genkey.toString(), "-b", "2048", "--hash-algorithms=sha1:sha256", "-d", DOMAIN, "-s", "odk",
                "-D", dir.toString()), new byte[0], dir);
        dns.server.add("odk._domainkey." + DOMAIN, "TXT", zoneRecord(Files.readString(dir.resolve("odk.txt"))));
        String signed = ExternalTools.ok(List.of(testmsg.toString(), "-C", "-d", DOMAIN, "-k", dir.resolve("odk.private").toString(),
                "-s", "odk"), TestMails.crlf(TestMails.PLAIN), dir);
        assertThat(signed).startsWith("DKIM-Signature: v=1; a=rsa-sha1; c=relaxed/simple; d=example.com; s=odk;");

        DkimVerifier strict = DkimTestZone.verifier(dns);
        DkimVerifier lenient = new DkimVerifier(dns.dns, strict.policy().withSha1(true, 1024));
        assertThat(verify(strict, signed)).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(DkimResult.POLICY);
            assertThat(r.why()).isEqualTo("rsa-sha1 is not accepted (RFC 8301)");
        });
        assertThat(verify(lenient, signed)).singleElement().extracting(SignatureResult::result).isEqualTo(DkimResult.PASS);
        assertThat(verify(lenient, TestMails.tamperBody(signed))).singleElement().extracting(SignatureResult::why).isEqualTo("body hash mismatch");
        assertThat(verify(lenient, TestMails.tamperHeader(signed))).singleElement().extracting(SignatureResult::why).isEqualTo("signature mismatch");
    }

    @ParameterizedTest(name = "{0} {1}/{2}")
    @CsvSource({"rsa-sha256, relaxed, relaxed", "rsa-sha256, simple, simple", "rsa-sha256, relaxed, simple",
            "ed25519-sha256, relaxed, relaxed", "ed25519-sha256, simple, relaxed"})
    void dkimpySignaturesPassAndFailOnceChanged(String algorithm, String header, String body) throws IOException {
        String signed = dkimpySign(algorithm, header, body, "py", TestMails.PLAIN);
        assertThat(signed).contains("a=" + algorithm + ";").contains("c=" + header + "/" + body + ";");

        DkimVerifier verifier = DkimTestZone.verifier(dns);
        assertThat(verify(verifier, signed)).singleElement().satisfies(r -> {
            assertThat(r.result()).as(r.describe()).isEqualTo(DkimResult.PASS);
            assertThat(r.domain()).isEqualTo(DOMAIN);
        });
        assertThat(verify(verifier, TestMails.tamperBody(signed))).singleElement().extracting(SignatureResult::why).isEqualTo("body hash mismatch");
        assertThat(verify(verifier, TestMails.tamperHeader(signed))).singleElement().extracting(SignatureResult::why).isEqualTo("signature mismatch");
    }

    @Test
    void aDkimpySignatureWithABodyLengthCoversOnlyThatMuch() throws IOException {
        Path python = ExternalTools.requireDkimpy();
        ExternalTools.ok(List.of(ExternalTools.require("dknewkey", "python3-dkim").toString(), "len"), new byte[0], dir);
        dns.server.add("len._domainkey." + DOMAIN, "TXT", Files.readString(dir.resolve("len.dns")).strip());
        String script = "import sys, dkim; m = sys.stdin.buffer.read(); k = open('len.key', 'rb').read();"
                + " sys.stdout.buffer.write(dkim.sign(m, b'len', b'example.com', k, length=True) + m)";
        String signed = ExternalTools.ok(List.of(python.toString(), "-c", script), TestMails.crlf(TestMails.PLAIN), dir);
        assertThat(signed).contains(" l=");

        DkimVerifier verifier = DkimTestZone.verifier(dns);
        assertThat(verify(verifier, signed)).singleElement().extracting(SignatureResult::result).isEqualTo(DkimResult.PASS);
        assertThat(verify(verifier, signed + "P.S. added on the way\r\n")).singleElement()
                .extracting(SignatureResult::result).as("l= leaves what follows unsigned").isEqualTo(DkimResult.PASS);
        assertThat(verify(verifier, signed.substring(0, signed.length() - 12))).singleElement()
                .extracting(SignatureResult::why).isEqualTo("body shorter than l=" + lTag(signed));
    }

    @ParameterizedTest(name = "{0} {1}/{2}")
    @CsvSource({"rsa-sha256, relaxed, relaxed", "rsa-sha256, simple, simple", "ed25519-sha256, relaxed, relaxed",
            "ed25519-sha256, simple, simple"})
    void ourSignaturesPassWithDkimpy(String algorithm, String header, String body) throws Exception {
        Path python = ExternalTools.requireDkimpy();
        DkimAlgorithm a = DkimAlgorithm.of(algorithm).orElseThrow();
        KeyPair pair = a.isRsa() ? TestKeys.rsa(2048) : TestKeys.ed25519();
        dns.server.add("ours._domainkey." + DOMAIN, "TXT", TestKeys.record(pair.getPublic()));
        DkimSigner.Settings settings = new DkimSigner.Settings(Canonicalization.of(header).orElseThrow(),
                Canonicalization.of(body).orElseThrow(), DkimSignConfig.DEFAULT_HEADERS);
        String signed = DkimSignerTest.sign(TestMails.PLAIN, new SigningKey(DOMAIN, "ours", a, pair.getPrivate()), settings);

        List<String> results = dkimpyVerify(python, signed, TestMails.tamperBody(signed), TestMails.tamperHeader(signed));
        assertThat(results).hasSize(3);
        assertThat(results.get(0)).isEqualTo("pass");
        assertThat(results.get(1)).startsWith("fail");
        assertThat(results.get(2)).startsWith("fail");
    }

    @Test
    void ourSignerReadsTheKeysTheToolsMake() throws Exception {
        Path python = ExternalTools.requireDkimpy();
        Path genkey = ExternalTools.require("opendkim-genkey", "opendkim-tools");
        Path dknewkey = ExternalTools.require("dknewkey", "python3-dkim");
        ExternalTools.ok(List.of(genkey.toString(), "-b", "2048", "-d", DOMAIN, "-s", "odk", "-D", dir.toString()), new byte[0], dir);
        ExternalTools.ok(List.of(dknewkey.toString(), "--ktype", "ed25519", "pyed"), new byte[0], dir);
        dns.server.add("odk._domainkey." + DOMAIN, "TXT", zoneRecord(Files.readString(dir.resolve("odk.txt"))))
                .add("pyed._domainkey." + DOMAIN, "TXT", Files.readString(dir.resolve("pyed.dns")).strip());
        DkimSigner.Settings settings = new DkimSigner.Settings(Canonicalization.RELAXED, Canonicalization.RELAXED, DkimSignConfig.DEFAULT_HEADERS);

        String rsa = DkimSignerTest.sign(TestMails.PLAIN, new SigningKey(DOMAIN, "odk", DkimAlgorithm.RSA_SHA256,
                PrivateKeys.load(dir.resolve("odk.private"))), settings);
        String ed = DkimSignerTest.sign(TestMails.PLAIN, new SigningKey(DOMAIN, "pyed", DkimAlgorithm.ED25519_SHA256,
                PrivateKeys.load(dir.resolve("pyed.key"))), settings);

        assertThat(dkimpyVerify(python, rsa, ed)).containsExactly("pass", "pass");
        assertThat(verify(DkimTestZone.verifier(dns), ed)).singleElement().extracting(SignatureResult::result).isEqualTo(DkimResult.PASS);
    }

    /** Signs with dkimsign, a key made by dknewkey; serves the key; the signed mail. */
    private String dkimpySign(String algorithm, String header, String body, String selector, String mail) throws IOException {
        ExternalTools.requireDkimpy();
        Path dknewkey = ExternalTools.require("dknewkey", "python3-dkim");
        Path dkimsign = ExternalTools.require("dkimsign", "python3-dkim");
        ExternalTools.ok(List.of(dknewkey.toString(), "--ktype", algorithm.startsWith("ed") ? "ed25519" : "rsa", selector), new byte[0], dir);
        dns.server.add(selector + "._domainkey." + DOMAIN, "TXT", Files.readString(dir.resolve(selector + ".dns")).strip());
        return ExternalTools.ok(List.of(dkimsign.toString(), "--hcanon", header, "--bcanon", body, "--signalg", algorithm,
                selector, DOMAIN, dir.resolve(selector + ".key").toString()), TestMails.crlf(mail), dir);
    }

    /** dkimpy's results, one line per mail. */
    private List<String> dkimpyVerify(Path python, String... mails) throws IOException {
        Path script = dir.resolve("dkimpy-verify.py");
        if (!Files.exists(script)) Files.write(script, DkimTestZone.bytes("dkim/dkimpy-verify.py"));
        List<String> command = new ArrayList<>(List.of(python.toString(), script.toString(), String.valueOf(dns.server.port())));
        for (int i = 0; i < mails.length; i++) {
            command.add(Files.writeString(dir.resolve("mail-" + i + ".eml"), mails[i]).toString());
        }
        return ExternalTools.ok(command, new byte[0], dir).lines().toList();
    }

    /** The TXT data of an opendkim-genkey zone file: its quoted strings joined. */
    static String zoneRecord(String zone) {
        Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(zone);
        StringBuilder b = new StringBuilder();
        while (m.find()) b.append(m.group(1));
        return b.toString();
    }

    private static String lTag(String signed) {
        Matcher m = Pattern.compile("l=([0-9]+)").matcher(signed);
        return m.find() ? m.group(1) : "?";
    }

    static List<SignatureResult> verify(DkimVerifier v, String mail) throws IOException {
        return new ArrayList<>(v.verify(new ByteArrayInputStream(mail.getBytes(StandardCharsets.UTF_8))));
    }
}
