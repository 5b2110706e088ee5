package org.decency.checks.basic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.Action;
import org.decency.core.CheckEnvironment;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.pipeline.PipelineBuilder;
import org.decency.checks.support.DnsTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic built from a server config: its scores add up and may reach the threshold; its DNS rule asks the loopback server. */
class BasicPipelineTest {
    static final String CONFIG = """
            weight_threshold: -100
            modules:
              - Basic:
                  handle_localhost: 1
                  weight_helo_localhost: -80
                  weight_non_fqdn_helo_hostname: -50
                  weight_non_fqdn_sender: -40
                  weight_unknown_sender_domain: -50
            """;

    @TempDir
    Path dir;
    DnsTestSupport dns;

    @BeforeEach
    void zone() {
        dns = new DnsTestSupport(dir);
        dns.server.add("example.net", "MX", "10 mx.example.net").add("mx.example.net", "A", "192.0.2.25");
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void scoresOfSeveralRulesAddUpBelowTheThreshold() throws IOException {
        PipelineBuilder.Result r = build(CONFIG);

        Verdict v = r.pipeline().run(rcpt("192.0.2.1", "mailserver", "someone@localdomain"));

        assertThat(v.action()).isEqualTo(Action.DUNNO);
        assertThat(v.briefScores()).isEqualTo("BASIC_HELO_NOT_FQDN=-50 BASIC_SENDER_NOT_FQDN=-40");
        assertThat(v.total()).isEqualTo(-90);
        assertThat(r.warnings()).isEmpty();
        assertThat(dns.server.asked()).as("a sender domain that is not fully qualified is not looked up").isEmpty();
    }

    @Test
    void anUnknownSenderDomainAddsToTheOtherRulesUpToTheThreshold() throws IOException {
        Transaction tx = rcpt("192.0.2.1", "mailserver", "someone@nowhere.example");

        Verdict v = build(CONFIG).pipeline().run(tx);

        assertThat(v.action()).isEqualTo(Action.REJECT);
        assertThat(v.briefScores()).isEqualTo("BASIC_HELO_NOT_FQDN=-50 BASIC_SENDER_DOMAIN_UNKNOWN=-50");
        assertThat(v.text()).isEqualTo("HELO \"mailserver\" is not a fully-qualified domain name;"
                + " sender domain nowhere.example has no A, AAAA or MX record [" + tx.id() + "]");
        assertThat(dns.server.asked()).contains("nowhere.example/A", "nowhere.example/AAAA", "nowhere.example/MX");
    }

    @Test
    void scoresReachingTheThresholdReject() throws IOException {
        Transaction tx = rcpt("192.0.2.1", "localhost", "someone@localdomain");

        Verdict v = build(CONFIG).pipeline().run(tx);

        assertThat(v.action()).isEqualTo(Action.REJECT);
        assertThat(v.text()).as("the sender is told why").isEqualTo("HELO \"localhost\" from a remote client;"
                + " sender <someone@localdomain> is not in fully-qualified domain form [" + tx.id() + "]");
        assertThat(v.briefScores()).isEqualTo("BASIC_HELO_LOCALHOST=-80 BASIC_SENDER_NOT_FQDN=-40");
        assertThat(v.total()).isEqualTo(-120);
        assertThat(v.decidedBy()).isEmpty();
    }

    @Test
    void aPlausibleMailScoresBasicZero() throws IOException {
        Verdict v = build(CONFIG).pipeline().run(rcpt("192.0.2.1", "mail.example.net", "someone@example.net"));

        assertThat(v.action()).isEqualTo(Action.DUNNO);
        assertThat(v.briefScores()).isEqualTo("Basic=0");
        assertThat(v.scores().getFirst().detail()).isEqualTo("basic checks passed");
    }

    @Test
    void aLocalClientCallingItselfLocalhostIsFine() throws IOException {
        Verdict v = build(CONFIG).pipeline().run(rcpt("127.0.0.1", "localhost", "root@mail.example.org"));

        assertThat(v.action()).isEqualTo(Action.DUNNO);
        assertThat(v.briefScores()).isEqualTo("Basic=0");
    }

    private PipelineBuilder.Result build(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("doorman.yml"), yaml);
        ConfigNode root = ConfigLoader.load(file);
        CheckEnvironment env = new CheckEnvironment(dns.store, dns.clock, dir, "doorman",
                List.of("mail.example.org"), List.of("198.51.100.25")).withDns(dns.dns);
        PipelineBuilder.Result r = new PipelineBuilder().build(root, env, null);
        root.finish();
        return r;
    }

    private static Transaction rcpt(String ip, String helo, String sender) {
        return Transaction.of(Stage.RCPT, Connection.of(ip, "client.example.net", helo), Envelope.of(sender, "user@example.org"));
    }
}
