package org.decency.checks.rhsbl;

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
import org.decency.pipeline.Pipeline;
import org.decency.pipeline.PipelineBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DNSBL and RHSBL built from a server config, run by the pipeline on its blocking executor. */
class BlocklistPipelineTest {
    static final String CONFIG = """
            weight_threshold: -100
            modules:
              - DNSBL:
                  blacklist:
                    - {host: bl.example, weight: -60}
                    - {host: wl.example, weight: 20, name: WL}
                    - {host: harsh.example, harsh: 1, name: HARSH}
              - RHSBL:
                  lists:
                    - {host: dbl.example, weight: -50, check: [sender, helo]}
            """;

    @TempDir
    Path dir;
    DnsTestSupport dns;
    final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void start() {
        dns = new DnsTestSupport(dir);
    }

    @AfterEach
    void stop() {
        blocking.shutdownNow();
        dns.close();
    }

    @Test
    void hitsOnBothModulesReachTheThresholdTogether() throws IOException {
        dns.server.add("66.2.0.192.bl.example", "A", "127.0.0.2").add("spam.example.dbl.example", "A", "127.0.1.2");
        Pipeline p = pipeline(CONFIG);

        Transaction tx = mail("192.0.2.66", "user@spam.example");
        Verdict v = p.run(tx);

        assertThat(v.action()).isEqualTo(Action.REJECT);
        assertThat(v.decidedBy()).as("the threshold decided").isEmpty();
        assertThat(v.briefScores()).isEqualTo("DNSBL_BL_EXAMPLE=-60 RHSBL_DBL_EXAMPLE=-50");
        assertThat(v.text()).isEqualTo("Blacklisted on: bl.example / Blacklisted on: dbl.example (sender spam.example) [" + tx.id() + "]");
        assertThat(v.flags()).contains("dnsbl_ip_192.0.2.66");
    }

    @Test
    void oneListingAloneStaysBelowTheThreshold() throws IOException {
        dns.server.add("66.2.0.192.bl.example", "A", "127.0.0.2");
        Pipeline p = pipeline(CONFIG);

        Verdict v = p.run(mail("192.0.2.66", "user@sender.example"));

        assertThat(v.action()).isNotEqualTo(Action.REJECT);
        assertThat(v.briefScores()).isEqualTo("DNSBL_BL_EXAMPLE=-60 RHSBL=0");
    }

    @Test
    void aWhitelistHitOffsetsAListing() throws IOException {
        dns.server.add("7.2.0.192.wl.example", "A", "127.0.0.2").add("spam.example.dbl.example", "A", "127.0.1.2");
        Pipeline p = pipeline(CONFIG.replace("weight: -50", "weight: -110"));

        Verdict v = p.run(mail("192.0.2.7", "user@spam.example"));

        assertThat(v.action()).isNotEqualTo(Action.REJECT);
        assertThat(v.total()).isEqualTo(-90);
    }

    @Test
    void aHarshListDecidesAlone() throws IOException {
        dns.server.add("66.2.0.192.harsh.example", "A", "127.0.0.2");
        Pipeline p = pipeline(CONFIG);

        Transaction tx = mail("192.0.2.66", "user@sender.example");
        Verdict v = p.run(tx);

        assertThat(v.action()).isEqualTo(Action.REJECT);
        assertThat(v.decidedBy()).isEqualTo("DNSBL");
        assertThat(v.text()).isEqualTo("Blacklisted on: harsh.example [" + tx.id() + "]");
        assertThat(v.briefScores()).isEqualTo("DNSBL_HARSH=-100");
    }

    private Pipeline pipeline(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("doorman.yml"), yaml);
        ConfigNode root = ConfigLoader.load(file);
        PipelineBuilder.Result r = new PipelineBuilder().build(root, dns.env(), blocking);
        root.finish();
        assertThat(r.warnings()).isEmpty();
        assertThat(r.pipeline().blocking()).isTrue();
        return r.pipeline();
    }

    private static Transaction mail(String ip, String sender) {
        return Transaction.of(Stage.RCPT, Connection.of(ip, "unknown", "mx.sender.example"), Envelope.of(sender, "rcpt@example.org"));
    }
}
