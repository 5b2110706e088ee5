package org.decency.checks.greylist;

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

/** Greylist built from a server config, as the Doorman runs it. */
class GreylistPipelineTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T10:00:00Z"));
    final InMemoryStore store = new InMemoryStore(clock);

    @Test
    void theFirstAttemptIsDeferredIfPermitAndTheRetryPasses() throws IOException {
        Pipeline pipeline = pipeline("""
                modules:
                  - CWL:
                      ips: {"*": [198.51.100.1]}
                  - Greylist:
                      delay: 10m
                """);

        Transaction first = rcpt("192.0.2.7");
        Verdict v = pipeline.run(first);
        assertThat(v.action()).isEqualTo(Action.DEFER_IF_PERMIT);
        assertThat(v.text()).isEqualTo("Greylisted, please retry in 10m [" + first.id() + "]");
        assertThat(v.decidedBy()).isEqualTo("Greylist");
        assertThat(v.briefScores()).isEqualTo("CWL=0 Greylist=0");

        clock.advance(Duration.ofMinutes(4));
        assertThat(pipeline.run(rcpt("192.0.2.7")).text()).startsWith("Greylisted, please retry in 6m [");

        clock.advance(Duration.ofMinutes(6));
        Verdict retry = pipeline.run(rcpt("192.0.2.7"));
        assertThat(retry.action()).isEqualTo(Action.DUNNO);
        assertThat(retry.text()).isEmpty();
        assertThat(retry.decidedBy()).isEmpty();
        assertThat(retry.briefScores()).isEqualTo("CWL=0 Greylist=0");
        assertThat(retry.scores().getLast()).satisfies(s -> {
            assertThat(s.brief()).isEqualTo("Greylist=0");
            assertThat(s.detail()).isEqualTo("passed after 600s");
        });
    }

    @Test
    void aWhitelistedClientIsNeverGreylisted() throws IOException {
        Pipeline pipeline = pipeline("""
                modules:
                  - CWL:
                      ips: {"*": [198.51.100.1]}
                  - Greylist: {}
                """);

        Verdict v = pipeline.run(rcpt("198.51.100.1"));

        assertThat(v.action()).isEqualTo(Action.OK);
        assertThat(v.decidedBy()).isEqualTo("CWL");
        assertThat(store.get("greylist:t:198.51.100.0/24:sender@example.net:user@example.org")).isEmpty();
    }

    @Test
    void theSeedsModuleFileLoadsAndItsLiteral450Works() throws IOException {
        Files.writeString(dir.resolve("greylist.yml"), """
                ---

                disable: 0
                timeout: 30

                # interval in seconds until a sender is allowed to re-send
                min_interval: 1
                recipient_domain_threshold: 2
                sender_domain_threshold: 3
                maintenance_ttl: 90d
                tables: []
                action: 450
                reject_message: Greylisted - Patience, young jedi
                """);
        Pipeline pipeline = pipeline("modules:\n  - Greylist: greylist.yml\n");

        Transaction first = rcpt("192.0.2.7");
        Verdict v = pipeline.run(first);
        assertThat(v.action()).isEqualTo(Action.REPLY);
        assertThat(v.text()).isEqualTo("450 Greylisted - Patience, young jedi [" + first.id() + "]");

        clock.advance(Duration.ofSeconds(1));
        assertThat(pipeline.run(rcpt("192.0.2.7")).action()).isEqualTo(Action.DUNNO);
    }

    @Test
    void localMailPassesUncheckedUnlessTheModuleHandlesLocalhost() throws IOException {
        Verdict skipped = pipeline("modules:\n  - Greylist: {}\n").run(rcpt("127.0.0.1"));
        assertThat(skipped.action()).isEqualTo(Action.DUNNO);
        assertThat(skipped.decidedBy()).isEqualTo(Pipeline.UNCHECKED_LOCAL);

        Verdict handled = pipeline("modules:\n  - Greylist: {handle_localhost: 1}\n").run(rcpt("127.0.0.1"));
        assertThat(handled.action()).isEqualTo(Action.DEFER_IF_PERMIT);
    }

    private Pipeline pipeline(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("doorman.yml"), yaml);
        ConfigNode root = ConfigLoader.load(file);
        CheckEnvironment env = new CheckEnvironment(store, clock, dir, "doorman", List.of(), List.of());
        PipelineBuilder.Result result = new PipelineBuilder().build(root, env, null);
        root.finish();
        assertThat(result.warnings()).isEmpty();
        return result.pipeline();
    }

    private static Transaction rcpt(String ip) {
        return Transaction.of(Stage.RCPT, Connection.of(ip, "mx.example.net", "mx.example.net"),
                Envelope.of("sender@example.net", "user@example.org"));
    }
}
