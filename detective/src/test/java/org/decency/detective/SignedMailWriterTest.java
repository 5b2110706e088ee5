package org.decency.detective;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.decency.checks.dkim.DkimResult;
import org.decency.checks.dkim.DkimSignCheck;
import org.decency.checks.dkim.DkimSignConfig;
import org.decency.checks.dkim.DkimVerifier;
import org.decency.checks.dkim.SignatureResult;
import org.decency.checks.dkim.VerifierPolicy;
import org.decency.config.ConfigLoader;
import org.decency.core.CheckEnvironment;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.Evaluation;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.dns.Dns;
import org.decency.dns.DnsAnswer;
import org.decency.mail.SpooledMessage;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DKIM signature added by DKIMSign survives the Detective's writer: it goes on top as it
 * was signed, never refolded (simple header canonicalization hashes the exact bytes), and
 * the mail as passed on verifies.
 */
class SignedMailWriterTest {
    static final String MAIL = """
            From: Alice Example <alice@example.com>\r
            To: bob@example.org\r
            Subject: a subject long enough that the writer would fold it at a space if it were asked to\r
            Date: Mon, 23 Nov 2026 10:00:00 +0000\r
            Message-ID: <1@example.com>\r
            \r
            Hello Bob.\r
            """;

    @TempDir
    Path dir;

    @Test
    void aSimpleSimpleSignatureVerifiesAfterWriting() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair key = g.generateKeyPair();
        Files.writeString(dir.resolve("example.com.key"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(key.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        Path config = Files.writeString(dir.resolve("dkim.yml"), "sign_key_dir: .\nselector: sel\nsign_method: simple/simple\n");
        CheckEnvironment env = new CheckEnvironment(new InMemoryStore(Clock.systemUTC()), Clock.systemUTC(), dir, "detective",
                List.of("mx.example.org"), List.of());
        DkimSignCheck sign = new DkimSignCheck("DKIMSign", DkimSignConfig.from(ConfigLoader.loadFile(config, ""), env), Clock.systemUTC());
        Path mail = Files.writeString(dir.resolve("mail.eml"), MAIL);
        Transaction tx = new Transaction("T1", Stage.MESSAGE, Connection.of("192.0.2.1", "mail.example.com", "mail.example.com"),
                Envelope.of("alice@example.com", "bob@example.org"), Map.of(), new SpooledMessage(mail));
        Evaluation run = new Evaluation(-100);

        sign.evaluate(tx, run);
        run.edits().add("Authentication-Results", "mx.example.org; dkim=none; and a comment long enough to be folded by the writer");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MessageWriter.write(new SpooledMessage(mail), run.edits(), out);

        String record = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getPublic().getEncoded());
        Dns dns = (name, type) -> CompletableFuture.completedFuture(name.equals("sel._domainkey.example.com")
                ? new DnsAnswer(DnsAnswer.Status.OK, List.of(record), 300) : DnsAnswer.of(DnsAnswer.Status.NXDOMAIN));
        List<SignatureResult> results = new DkimVerifier(dns, VerifierPolicy.rfc8301(java.time.Duration.ofSeconds(2), Clock.systemUTC()))
                .verify(new ByteArrayInputStream(out.toByteArray()));

        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=simple/simple;")
                .contains("\r\nAuthentication-Results: mx.example.org; dkim=none; and a comment long enough\r\n to be folded by the writer\r\n");
        assertThat(results).singleElement().satisfies(r -> assertThat(r.result()).as(r.describe()).isEqualTo(DkimResult.PASS));
    }
}
