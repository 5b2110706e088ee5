package org.decency.checks.awl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.Action;
import org.decency.core.CheckEnvironment;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.ManualClock;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.pipeline.Pipeline;
import org.decency.pipeline.PipelineBuilder;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AWL among real checks, built from a server config as the Doorman runs it. */
class AwlPipelineTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T10:00:00Z"));
    final InMemoryStore store = new InMemoryStore(clock);

    @Test
    void aPairThatPassedGreylistingWithGoodScoresSkipsGreylistingOnceTrusted() throws IOException {
        Pipeline p = pipeline("""
                modules:
                  - AWL:
                      pass_count: 2
                      final_ok: 1
                  - Basic:
                      weight_non_fqdn_helo_hostname: -30
                  - Greylist:
                      delay: 5m
                """);

        Verdict first = p.run(mail("192.0.2.7", "mail.sender.example", "alice@sender.example", "one@example.org"));
        assertThat(first.action()).isEqualTo(Action.DEFER_IF_PERMIT);
        assertThat(first.briefScores()).isEqualTo("AWL=0 Basic=0 Greylist=0");
        clock.advance(Duration.ofMinutes(5));
        assertThat(p.run(mail("192.0.2.7", "mail.sender.example", "alice@sender.example", "one@example.org")).action()).isEqualTo(Action.DUNNO);
        Verdict second = p.run(mail("192.0.2.8", "mail2.sender.example", "bob@sender.example", "one@example.org"));
        assertThat(second.action()).as("a new triplet").isEqualTo(Action.DEFER_IF_PERMIT);
        assertThat(p.run(mail("192.0.2.7", "mail.sender.example", "alice@sender.example", "one@example.org")).action()).isEqualTo(Action.DUNNO);

        Verdict trusted = p.run(mail("192.0.2.8", "mail2.sender.example", "bob@sender.example", "two@example.org"));
        assertThat(trusted.action()).isEqualTo(Action.OK);
        assertThat(trusted.decidedBy()).isEqualTo("AWL");
        assertThat(trusted.flags()).containsExactly("whitelisted");
        assertThat(trusted.briefScores()).isEqualTo("AWL=0");
        assertThat(store.get("greylist:t:192.0.2.0/24:bob@sender.example:two@example.org")).isEmpty();
    }

    @Test
    void aPairWithBadScoresNeverEarnsTrust() throws IOException {
        Pipeline p = pipeline("""
                modules:
                  - AWL: {pass_count: 2, final_ok: 1}
                  - Basic: {weight_non_fqdn_helo_hostname: -30}
                """);

        for (int i = 0; i < 5; i++) {
            Verdict v = p.run(mail("198.51.100.9", "mailserver", "spam@sender.example", "one@example.org"));
            assertThat(v.action()).isEqualTo(Action.DUNNO);
            assertThat(v.briefScores()).isEqualTo("AWL=0 BASIC_HELO_NOT_FQDN=-30");
            assertThat(v.scores().getFirst().detail()).isEqualTo("pair seen 0/2 times");
        }
    }

    @Test
    void aRejectionByTheThresholdClearsATrustedClientNet() throws IOException {
        Pipeline p = pipeline("""
                weight_threshold: -100
                modules:
                  - AWL: {pass_count: 2, scope: client, weight: 20}
                  - Basic: {weight_non_fqdn_sender: -120}
                """);
        p.run(mail("192.0.2.7", "mail.sender.example", "alice@sender.example", "one@example.org"));
        p.run(mail("192.0.2.7", "mail.sender.example", "bob@sender.example", "one@example.org"));

        Transaction bad = mail("192.0.2.7", "mail.sender.example", "root@localhost", "one@example.org");
        Verdict rejected = p.run(bad);
        assertThat(rejected.action()).isEqualTo(Action.REJECT);
        assertThat(rejected.text()).isEqualTo("sender <root@localhost> is not in fully-qualified domain form [" + bad.id() + "]");
        assertThat(rejected.briefScores()).isEqualTo("AWL=20 BASIC_SENDER_NOT_FQDN=-120");
        assertThat(rejected.total()).isEqualTo(-100);

        Verdict after = p.run(mail("192.0.2.7", "mail.sender.example", "alice@sender.example", "one@example.org"));
        assertThat(after.briefScores()).isEqualTo("AWL=0 Basic=0");
        assertThat(after.scores().getFirst().detail()).isEqualTo("pair seen 0/2 times");
    }

    private Pipeline pipeline(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("doorman.yml"), yaml);
        ConfigNode root = ConfigLoader.load(file);
        CheckEnvironment env = new CheckEnvironment(store, clock, dir, "doorman", List.of(), List.of());
        PipelineBuilder.Result r = new PipelineBuilder().build(root, env, null);
        root.finish();
        assertThat(r.warnings()).isEmpty();
        return r.pipeline();
    }

    private static Transaction mail(String ip, String helo, String sender, String recipient) {
        return Transaction.of(Stage.RCPT, Connection.of(ip, "client.example.net", helo), Envelope.of(sender, recipient));
    }
}
