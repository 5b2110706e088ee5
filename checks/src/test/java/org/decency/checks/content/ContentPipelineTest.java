package org.decency.checks.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.decency.checks.support.DnsTestSupport;
import org.decency.testkit.FileSamples;
import org.decency.checks.support.TestMails;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.Action;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.mail.SpooledMessage;
import org.decency.message.MessageEdits;
import org.decency.pipeline.Pipeline;
import org.decency.pipeline.PipelineBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The four content checks in one Detective pipeline built from YAML, as the Detective runs them. */
class ContentPipelineTest {
    @TempDir
    Path dir;
    DnsTestSupport dns;
    Pipeline pipeline;

    @BeforeEach
    void start() throws IOException {
        dns = new DnsTestSupport(dir);
        Files.writeString(dir.resolve("archive.yml"), "archive_dir: archive/%recipient_domain%/\nretention: 90d\n");
        Path config = Files.writeString(dir.resolve("detective.yml"), """
                weight_threshold: -150
                modules:
                  - HoneyCollector: {collect_dir: honey/, addresses: [trap@example.org]}
                  - Archive: archive.yml
                  - MimeAttribs:
                      add_header: {X-Scanned: Decency}
                      replace_header: {Subject: "[checked] %orig%"}
                  - DeepDNSBL:
                      blacklist: [{host: bl.example, weight: -80}]
                """);
        ConfigNode root = ConfigLoader.load(config);
        pipeline = new PipelineBuilder().build(root, dns.env(), null).pipeline();
        root.finish();
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private SpooledMessage mail(TestMails.Builder b) {
        return b.header("Received", "from relay.example.net (relay.example.net [45.33.32.156]) by mx.example.org (Postfix) with ESMTP id 4Xq1")
                .message();
    }

    private List<Path> files(String under) throws IOException {
        if (!Files.exists(dir.resolve(under))) return List.of();
        try (Stream<Path> s = Files.walk(dir.resolve(under))) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aGoodMailGoesOnWithItsHeaderChangesAndIsArchived() throws IOException {
        Transaction tx = TestMails.tx(mail(new TestMails(dir).mail()), "203.0.113.5", "s@example.net", "alice@example.org");

        Verdict v = pipeline.run(tx);

        assertThat(v.action()).isEqualTo(Action.DUNNO);
        assertThat(v.briefScores()).isEqualTo("HoneyCollector=0 Archive=0 MimeAttribs=0 DeepDNSBL=0");
        assertThat(v.flags()).containsExactly("dnsbl_ip_45.33.32.156");
        assertThat(v.edits().added()).containsExactly(new MessageEdits.Field("X-Scanned", "Decency"));
        assertThat(v.edits().replaced()).containsExactly(new MessageEdits.Field("Subject", "[checked] Test"));
        assertThat(files("archive")).singleElement().satisfies(f ->
                assertThat(f.getParent()).isEqualTo(dir.resolve("archive/example.org").toAbsolutePath()));
        assertThat(files("honey")).isEmpty();
    }

    @Test
    void aProgramFromAListedRelayIsSpamAndNotArchived() throws IOException {
        dns.server.add("156.32.33.45.bl.example", "A", "127.0.0.2");
        Transaction tx = TestMails.tx(mail(new TestMails(dir).mail().attach("invoice.pdf.exe", "application/octet-stream", FileSamples.pe())),
                "203.0.113.5", "s@example.net", "alice@example.org");

        Verdict v = pipeline.run(tx);

        assertThat(v.action()).isEqualTo(Action.REJECT);
        assertThat(v.decidedBy()).as("the threshold decided").isEmpty();
        assertThat(v.total()).isEqualTo(-180);
        assertThat(v.briefScores()).isEqualTo("HoneyCollector=0 Archive=0 MIME_BAD_EXTENSION=-60 MIME_DOUBLE_EXTENSION=-40"
                + " DeepDNSBL_BL_EXAMPLE=-80");
        assertThat(v.text()).startsWith("Blacklisted on: bl.example (from 45.33.32.156)");
        assertThat(files("archive")).isEmpty();
    }

    @Test
    void mailToATrapIsCollectedAndDroppedBeforeAnythingElse() throws IOException {
        Transaction tx = TestMails.tx(mail(new TestMails(dir).mail()), "203.0.113.5", "s@example.net", "trap@example.org");

        Verdict v = pipeline.run(tx);

        assertThat(v.action()).isEqualTo(Action.DISCARD);
        assertThat(v.decidedBy()).isEqualTo("HoneyCollector");
        assertThat(v.flags()).containsExactly("honey_collected");
        assertThat(files("honey")).hasSize(1);
        assertThat(files("archive")).isEmpty();
        assertThat(dns.server.asked()).isEmpty();
    }
}
