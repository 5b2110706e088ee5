package org.decency.checks.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.decency.checks.support.DnsTestSupport;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.mail.SpooledMessage;
import org.decency.message.MessageEdits;
import org.decency.pipeline.PipelineBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DKIMVerify and DKIMSign built from a server config and run by the pipeline at Stage
 * MESSAGE on spooled mails: scores, flags, the Authentication-Results and DKIM-Signature
 * fields in the verdict's edits; DNS that does not answer; big mails.
 */
class DkimPipelineTest {
    static final KeyPair KEY = TestKeys.rsa(2048);
    static final String INBOUND = """
            weight_threshold: -100
            modules:
              - DKIMVerify: {authserv_id: mx.example.org, domain_weights: {example.com: 30}, timeout: 5s}
            """;

    @TempDir
    Path dir;
    DnsTestSupport dns;
    final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void zone() {
        dns = new DnsTestSupport(dir);
        dns.server.add("sel._domainkey.example.com", "TXT", TestKeys.record(KEY.getPublic()));
    }

    @AfterEach
    void stop() {
        blocking.shutdownNow();
        dns.close();
    }

    @Test
    void aSignedMailPassesWithTheDomainWeightAndAnAuthenticationResultsField() throws Exception {
        String signed = signed(TestMails.PLAIN);

        Verdict v = build(INBOUND).run(tx(spool(signed)));

        assertThat(v.briefScores()).isEqualTo("DKIMVerify=45");
        assertThat(v.flags()).contains(DkimVerifyCheck.FLAG_PASS).doesNotContain(DkimVerifyCheck.FLAG_FAIL);
        assertThat(v.scores().getFirst().detail()).isEqualTo("Result: pass; d=example.com s=sel a=rsa-sha256 result=pass; domain weight 30");
        String b = TagList.compact(signed.substring(signed.indexOf("b=", signed.indexOf("bh=") + 3) + 2)).substring(0, 8);
        assertThat(v.edits().added()).containsExactly(new MessageEdits.Field("Authentication-Results",
                "mx.example.org; dkim=pass header.d=example.com header.s=sel header.b=" + AuthenticationResults.value(b)));
    }

    @Test
    void aChangedMailFailsAndSaysWhy() throws Exception {
        Verdict v = build(INBOUND).run(tx(spool(TestMails.tamperBody(signed(TestMails.PLAIN)))));

        assertThat(v.briefScores()).isEqualTo("DKIMVerify=-50");
        assertThat(v.flags()).contains(DkimVerifyCheck.FLAG_FAIL).doesNotContain(DkimVerifyCheck.FLAG_PASS);
        assertThat(v.edits().added()).singleElement().extracting(MessageEdits.Field::value).asString()
                .startsWith("mx.example.org; dkim=fail reason=\"body hash mismatch\" header.d=example.com header.s=sel header.b=");
    }

    @Test
    void anUnsignedMailIsNone() throws Exception {
        Verdict v = build(INBOUND).run(tx(spool(TestMails.PLAIN)));

        assertThat(v.briefScores()).isEqualTo("DKIMVerify=0");
        assertThat(v.scores().getFirst().detail()).isEqualTo("Result: none; no signature");
        assertThat(v.edits().added()).containsExactly(new MessageEdits.Field("Authentication-Results", "mx.example.org; dkim=none"));
    }

    @Test
    void theSeedsWeightsApplyAndABrokenKeyIsInvalid() throws Exception {
        dns.server.clear().add("sel._domainkey.example.com", "TXT", "v=DKIM1; k=rsa; p=");
        Verdict v = build("""
                modules:
                  - DKIMVerify: {weight_invalid: -50, add_header: 0}
                """).run(tx(spool(signed(TestMails.PLAIN))));

        assertThat(v.briefScores()).isEqualTo("DKIMVerify=-50");
        assertThat(v.scores().getFirst().detail()).endsWith("result=permerror why=key revoked (empty p=)");
        assertThat(v.edits().added()).isEmpty();
    }

    @Test
    void aSilentNameserverIsATemporaryTemperror() throws Exception {
        dns.server.clear().timeout("sel._domainkey.example.com");
        Transaction tx = tx(spool(signed(TestMails.PLAIN)));

        Verdict v = build(INBOUND).run(tx);
        Check check = new DkimVerifyFactory().create("DKIMVerify", dns.yaml("timeout: 5s\n"), dns.env());
        Outcome o = check.evaluate(tx, new Evaluation(-100));

        assertThat(v.briefScores()).isEqualTo("DKIMVerify=0");
        assertThat(v.edits().added()).singleElement().extracting(MessageEdits.Field::value).asString()
                .startsWith("mx.example.org; dkim=temperror reason=\"key lookup of sel._domainkey.example.com timed out\"");
        assertThat(o.temporary()).isTrue();
        assertThat(check.blocking()).isTrue();
        assertThat(check.stages()).containsExactly(Stage.MESSAGE);
    }

    @Test
    void theSignerAddsASignatureThatVerifiesOnceWrittenOnTop() throws Exception {
        Path keys = Files.createDirectory(dir.resolve("keys"));
        TestKeys.pkcs1(keys.resolve("example.com.key"), KEY.getPrivate());
        Path mail = spool(TestMails.PLAIN);

        Verdict v = build("""
                modules:
                  - DKIMSign: {sign_key_dir: keys, selector: sel, sign_method: simple/simple}
                """).run(tx(mail));

        assertThat(v.flags()).contains(DkimSignCheck.FLAG_SIGNED);
        assertThat(v.scores().getFirst().detail()).isEqualTo("signed d=example.com s=sel a=rsa-sha256");
        MessageEdits.Field field = v.edits().added().getFirst();
        assertThat(field.name()).isEqualTo("DKIM-Signature");
        assertThat(field.value()).contains("c=simple/simple;");
        String written = field.name() + ": " + field.value() + "\r\n" + Files.readString(mail);
        assertThat(build(INBOUND).run(tx(spool(written))).flags()).contains(DkimVerifyCheck.FLAG_PASS);
    }

    @Test
    void theSignerSignsOnlyDomainsWithAKey() throws Exception {
        Path keys = Files.createDirectory(dir.resolve("keys"));
        TestKeys.pkcs8(keys.resolve("example.com.key"), KEY.getPrivate());
        String config = """
                modules:
                  - DKIMSign: {sign_key_dir: keys, selector: sel, sign_by: %s}
                """;
        Path mail = spool(TestMails.PLAIN); // From: alice@example.com

        Verdict byEnvelope = build(config.formatted("envelope")).run(tx(mail, "someone@example.net"));
        Verdict byFrom = build(config.formatted("from")).run(tx(mail, "someone@example.net"));
        Verdict bounce = build(config.formatted("envelope")).run(tx(mail, ""));

        assertThat(byEnvelope.edits().added()).isEmpty();
        assertThat(byEnvelope.briefScores()).isEqualTo("DKIMSign=0");
        assertThat(byFrom.edits().added()).extracting(MessageEdits.Field::name).containsExactly("DKIM-Signature");
        assertThat(bounce.edits().added()).as("a bounce signs for its From:").hasSize(1);
    }

    @Test
    void aFiveMegabyteMailIsVerifiedFromTheSpool() throws Exception {
        Path big = dir.resolve("big.eml");
        SigningKey key = new SigningKey("example.com", "sel", DkimAlgorithm.RSA_SHA256, KEY.getPrivate());
        String value;
        try (InputStream in = new GeneratedMail(5 * 1024 * 1024)) {
            value = DkimSigner.sign(in, key, DkimSignConfig.DEFAULT_SETTINGS, 1_795_000_000L);
        }
        try (OutputStream out = Files.newOutputStream(big); InputStream in = new GeneratedMail(5 * 1024 * 1024)) {
            out.write(("DKIM-Signature: " + value + "\r\n").getBytes(StandardCharsets.US_ASCII));
            in.transferTo(out);
        }
        assertThat(Files.size(big)).isGreaterThan(5 * 1024 * 1024);

        Verdict v = build(INBOUND).run(tx(big, "alice@example.com"));

        assertThat(v.flags()).contains(DkimVerifyCheck.FLAG_PASS);
    }

    @Test
    void aHundredMegabyteMailStreamsThroughSignerAndVerifier() throws Exception {
        long size = 100L * 1024 * 1024;
        SigningKey key = new SigningKey("example.com", "sel", DkimAlgorithm.RSA_SHA256, KEY.getPrivate());
        String value = DkimSigner.sign(new GeneratedMail(size), key, DkimSignConfig.DEFAULT_SETTINGS, 1_795_000_000L);
        InputStream signed = new SequenceInputStream(new ByteArrayInputStream(("DKIM-Signature: " + value + "\r\n")
                .getBytes(StandardCharsets.US_ASCII)), new GeneratedMail(size));

        List<SignatureResult> results = DkimTestZone.verifier(dns).verify(signed);

        assertThat(results).singleElement().extracting(SignatureResult::result).isEqualTo(DkimResult.PASS);
    }

    private String signed(String mail) throws Exception {
        return DkimSignerTest.sign(mail, new SigningKey("example.com", "sel", DkimAlgorithm.RSA_SHA256, KEY.getPrivate()),
                DkimSignConfig.DEFAULT_SETTINGS);
    }

    private Path spool(String mail) throws IOException {
        return Files.write(Files.createTempFile(dir, "mail-", ".eml"), mail.getBytes(StandardCharsets.UTF_8));
    }

    private static Transaction tx(Path mail) {
        return tx(mail, "alice@example.com");
    }

    private static Transaction tx(Path mail, String sender) {
        return new Transaction("T1", Stage.MESSAGE, Connection.of("192.0.2.1", "mail.example.com", "mail.example.com"),
                Envelope.of(sender, "bob@example.org"), Map.of(), new SpooledMessage(mail));
    }

    private org.decency.pipeline.Pipeline build(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("detective.yml"), yaml);
        ConfigNode root = ConfigLoader.load(file);
        PipelineBuilder.Result r = new PipelineBuilder().build(root, dns.env(), blocking);
        root.finish();
        return r.pipeline();
    }
}
