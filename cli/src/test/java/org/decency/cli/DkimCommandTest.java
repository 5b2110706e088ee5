package org.decency.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.decency.checks.dkim.DkimAlgorithm;
import org.decency.checks.dkim.DkimSignConfig;
import org.decency.checks.dkim.DkimSigner;
import org.decency.checks.dkim.SigningKey;
import org.decency.testkit.TestDnsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code decency dkim verify} against a loopback DNS server: the result first, then each signature. */
class DkimCommandTest {
    static final String MAIL = "From: Alice <alice@example.com>\r\nTo: bob@example.org\r\nSubject: hi\r\n\r\nHello Bob.\r\n";

    @TempDir
    Path dir;


    @Test
    void verifyPrintsTheResultThenEachSignature() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair key = g.generateKeyPair();
        String value = DkimSigner.sign(new ByteArrayInputStream(MAIL.getBytes(StandardCharsets.US_ASCII)),
                new SigningKey("example.com", "sel", DkimAlgorithm.RSA_SHA256, key.getPrivate()), DkimSignConfig.DEFAULT_SETTINGS,
                System.currentTimeMillis() / 1000);
        String signed = "DKIM-Signature: " + value + "\r\n" + MAIL;
        Path good = Files.writeString(dir.resolve("good.eml"), signed);
        Path changed = Files.writeString(dir.resolve("changed.eml"), signed.replace("Hello Bob", "Hello Rob"));
        Path plain = Files.writeString(dir.resolve("plain.eml"), MAIL);
        Path other = Files.writeString(dir.resolve("other.eml"), signed.replace("s=sel;", "s=gone;"));
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.add("sel._domainkey.example.com", "TXT", "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getPublic().getEncoded()));

            CliRun pass = run("dkim", "verify", good.toString(), "--dns", dns.address());
            CliRun fail = run("dkim", "verify", changed.toString(), "--dns", dns.address());
            CliRun none = run("dkim", "verify", plain.toString(), "--dns", dns.address());
            CliRun missing = run("dkim", "verify", other.toString(), "--dns", dns.address());

            assertThat(pass.exit()).isZero();
            assertThat(pass.out().lines()).containsExactly("pass", "d=example.com s=sel a=rsa-sha256 result=pass");
            assertThat(fail.out().lines()).containsExactly("fail", "d=example.com s=sel a=rsa-sha256 result=fail why=body hash mismatch");
            assertThat(none.out().lines()).containsExactly("none", "no DKIM-Signature");
            assertThat(missing.out().lines()).containsExactly("permerror",
                    "d=example.com s=gone a=rsa-sha256 result=permerror why=no key at gone._domainkey.example.com");
        }
    }

    @Test
    void verifyRefusesWhatItCannotRead() {
        assertThat(run("dkim", "verify", dir.resolve("nothing.eml").toString(), "--dns", "127.0.0.1:1").err()).contains("no such file");
        assertThat(run("dkim", "verify").exit()).as("FILE is required").isEqualTo(2);
        assertThat(run("dkim").out()).contains("verify");
    }

    private CliRun run(String... args) {
        return CliRun.of(args);
    }
}
