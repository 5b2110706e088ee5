package org.decency.checks.plausibility;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.decency.checks.support.DnsTestSupport;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.Action;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.pipeline.Module;
import org.decency.pipeline.PipelineBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Association and Plausibility built from a server config, with their defaults, asking
 * the loopback DNS server from the pipeline's blocking executor: their partial scores add
 * up to the decision.
 */
class DnsChecksPipelineTest {
    static final String CONFIG = """
            weight_threshold: -100
            modules:
              - Association: {timeout: 5s}
              - Plausibility: {timeout: 5s}
            """;
    /** A mail server of example.org (public-looking addresses: the documentation networks count as bogus for mail hosts). */
    static final String SERVER = "81.2.69.160";

    @TempDir
    Path dir;
    DnsTestSupport dns;
    final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void zone() {
        dns = new DnsTestSupport(dir);
        dns.server.add("example.org", "MX", "10 mail.example.org").add("mail.example.org", "A", SERVER)
                .add("160.69.2.81.in-addr.arpa", "PTR", "mail.example.org")
                .add("99.2.0.192.in-addr.arpa", "PTR", "dsl-192-0-2-99.dyn.isp.example")
                .add("dsl-192-0-2-99.dyn.isp.example", "A", "192.0.2.99");
    }

    @AfterEach
    void stop() {
        blocking.shutdownNow();
        dns.close();
    }

    @Test
    void theDomainsOwnMailServerPassesWithBonuses() throws IOException {
        PipelineBuilder.Result r = build(CONFIG);

        Verdict v = r.pipeline().run(rcpt(SERVER, "mail.example.org", "alice@example.org"));

        assertThat(r.pipeline().modules()).extracting(Module::name).containsExactly("Association", "Plausibility");
        assertThat(r.pipeline().blocking()).isTrue();
        assertThat(r.warnings()).isEmpty();
        assertThat(v.action()).isEqualTo(Action.DUNNO);
        assertThat(v.briefScores()).isEqualTo("CL_IP_EQ_FROM_MX=20 CL_IP_EQ_HELO_IP=50");
        assertThat(v.total()).isEqualTo(70);
        assertThat(v.flags()).contains("assoc_ok");
    }

    @Test
    void aDialupClientWithAForgedHeloIsRejectedByTheThreshold() throws IOException {
        Transaction tx = rcpt("192.0.2.99", "ghost.example.net", "xkrtvbq@example.org");

        Verdict v = build(CONFIG).pipeline().run(tx);

        assertThat(v.action()).isEqualTo(Action.REJECT);
        assertThat(v.briefScores()).isEqualTo("CLIENT_NOT_MX_A_FROM_DOMAIN=-20 HELO_NO_A=-37.5 RESOLVED_IP_IS_NOT_HELO=-37.5"
                + " CL_SEEMS_DIALUP=-93.75 RANDOM_SENDER=-6.25");
        assertThat(v.total()).isEqualTo(-195);
        assertThat(v.text()).isEqualTo("Sender IP not associated with sender domain / " + PlausibilityConfig.DEFAULT_MESSAGE + " [" + tx.id() + "]");
        assertThat(v.flags()).doesNotContain("assoc_ok");
    }

    @Test
    void aSlowNameserverCostsNothingAndPassesTheMail() throws IOException {
        dns.server.timeout("slow.example").timeout("helo.slow.example").timeout("99.2.0.192.in-addr.arpa");

        Verdict v = build(CONFIG).pipeline().run(rcpt("192.0.2.99", "helo.slow.example", "alice@slow.example"));

        assertThat(v.action()).isEqualTo(Action.DUNNO);
        assertThat(v.briefScores()).isEqualTo("Association=0 Plausibility=0");
        assertThat(v.scores()).allSatisfy(s -> assertThat(s.detail()).contains("DNS did not answer"));
    }

    @Test
    void policydWeightIsAnAliasOfPlausibility() throws IOException {
        PipelineBuilder.Result r = build("""
                modules:
                  - PolicydWeight: {factor: 1}
                """);

        Verdict v = r.pipeline().run(rcpt(SERVER, "mail.example.org", "alice@example.org"));

        assertThat(r.pipeline().modules()).extracting(Module::name).containsExactly("PolicydWeight");
        assertThat(v.briefScores()).isEqualTo("CL_IP_EQ_HELO_IP=2");
    }

    private PipelineBuilder.Result build(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("doorman.yml"), yaml);
        ConfigNode root = ConfigLoader.load(file);
        PipelineBuilder.Result r = new PipelineBuilder().build(root, dns.env(), blocking);
        root.finish();
        return r;
    }

    private static Transaction rcpt(String ip, String helo, String sender) {
        return Transaction.of(Stage.RCPT, Connection.of(ip, "client.example.net", helo), Envelope.of(sender, "user@example.net"));
    }
}
