package org.decency.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.Stream;
import org.decency.testkit.TestDnsServer;
import org.decency.testkit.FileSamples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code decency check-message}: a mail file through the Detective's checks, printed, nothing delivered or written. */
class CheckMessageCommandTest {
    @TempDir
    Path dir;
    TestDnsServer dns;


    @BeforeEach
    void start() throws Exception {
        dns = TestDnsServer.start();
        Files.writeString(dir.resolve("detective.yml"), """
                server: {host: 127.0.0.1, port: 0}
                spool_dir: spool
                reinject: {host: 127.0.0.1, port: 10250}
                spam: {behavior: scoring, threshold: -110, handle: tag, subject_prefix: "[SPAM]"}
                database: {path: never.db}
                dns: {servers: ["%s"], timeout: 2s}
                modules:
                  - HoneyCollector: {collect_dir: honey/, addresses: [trap@example.org]}
                  - Archive: {archive_dir: archive/, archive_spam: 1}
                  - MimeAttribs: {add_header: {X-Scanned: Decency}, remove_header: [X-Mailer]}
                  - DeepDNSBL: {blacklist: [{host: bl.example, weight: -20}]}
                """.formatted(dns.address()));
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private CliRun run(String... args) {
        return CliRun.of(args);
    }

    private Path mail(String name, String to, String attachment) throws Exception {
        String boundary = "b1";
        String body = "From: Sender <sender@example.net>\r\nTo: Alice <" + to + ">, bob@example.org\r\nReturn-Path: <bounce@example.net>\r\n"
                + "Received: from relay.example.net (relay.example.net [45.33.32.156]) by mx.example.org (Postfix) with ESMTP id 4Xq1\r\n"
                + "X-Mailer: Spam Cannon\r\nSubject: Invoice\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain\r\n\r\nPlease pay.\r\n"
                + "--b1\r\nContent-Type: application/octet-stream; name=\"" + attachment + "\"\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"" + attachment + "\"\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(FileSamples.pe()) + "\r\n--b1--\r\n";
        return Files.writeString(dir.resolve(name), body);
    }

    @Test
    void printsTheDecisionEveryScoreAndTheHeaderEditsAndWritesNothing() throws Exception {
        dns.add("156.32.33.45.bl.example", "A", "127.0.0.2");
        Path mail = mail("invoice.eml", "alice@example.org", "invoice.pdf.exe");

        CliRun r = run("check-message", mail.toString(), "-c", dir.resolve("detective.yml").toString(), "--ip", "45.33.32.156");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains(
                "envelope: from <bounce@example.net> to <alice@example.org>, <bob@example.org>, client 45.33.32.156\n",
                "decision: tag/spam (Spam (score -120))\n",
                "total: -120 (spam at -110 or below)\n",
                "  HoneyCollector=0\n",
                "  Archive=0  would archive to " + dir.resolve("archive").toAbsolutePath() + "\n",
                "  MIME_BAD_EXTENSION=-60  invoice.pdf.exe (.exe)\n",
                "  MIME_DOUBLE_EXTENSION=-40  invoice.pdf.exe (.exe behind .pdf)\n",
                "  DeepDNSBL_BL_EXAMPLE=-20  listed on bl.example (127.0.0.2; from 45.33.32.156)\n",
                "flags: dnsbl_ip_45.33.32.156\n",
                "  add X-Scanned: Decency\n",
                "  remove x-mailer\n",
                "  subject prefix: [SPAM]\n");
        assertThat(dir.resolve("archive")).doesNotExist();
        assertThat(dir.resolve("spool")).doesNotExist();
        assertThat(dir.resolve("never.db")).doesNotExist();
    }

    @Test
    void theEnvelopeOptionsWinAndATrapMailWouldBeDropped() throws Exception {
        Path mail = mail("trap.eml", "someone@example.org", "notes.txt");

        CliRun r = run("check-message", mail.toString(), "-c", dir.resolve("detective.yml").toString(),
                "--from", "x@example.com", "--to", "trap@example.org");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("envelope: from <x@example.com> to <trap@example.org>\n",
                "decision: delete/drop (dropped by HoneyCollector)\n",
                "total: 0 (spam at -110 or below), decided by HoneyCollector\n",
                "  HoneyCollector=0  1 trap recipient; would collect to " + dir.resolve("honey").toAbsolutePath() + "\n");
        assertThat(dir.resolve("honey")).doesNotExist();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("detective.yml", "trap.eml");
        }
    }

    @Test
    void aMissingFileAndABadConfigAreErrors() throws Exception {
        CliRun missing = run("check-message", dir.resolve("none.eml").toString(), "-c", dir.resolve("detective.yml").toString());
        Files.writeString(dir.resolve("bad.yml"), "spool_dir: s\nreinject: {host: 127.0.0.1, port: 1}\nmodules:\n  - MimeAttribs: {bad_extension: 5}\n");
        CliRun bad = run("check-message", mail("m.eml", "a@example.org", "a.txt").toString(), "-c", dir.resolve("bad.yml").toString());

        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("error: no mail file");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("bad.yml:4: modules[0].MimeAttribs.bad_extension: must be 0 (off) or negative");
    }
}
