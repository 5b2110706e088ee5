package org.decency.checks.throttle;

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
import org.decency.pipeline.PipelineBuilder;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Throttle built from a server config, as the Doorman runs it. */
class ThrottlePipelineTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T10:00:00Z"));
    final InMemoryStore store = new InMemoryStore(clock);

    @Test
    void theMailOverTheLimitIsDeferredWithTheSessionIdentifier() throws IOException {
        PipelineBuilder.Result r = build("""
                modules:
                  - Throttle:
                      limits: {client_address: ["2/10m"]}
                """);

        for (int i = 0; i < 2; i++) {
            Verdict ok = r.pipeline().run(rcpt("a@sender.example"));
            assertThat(ok.action()).isEqualTo(Action.DUNNO);
            assertThat(ok.briefScores()).isEqualTo("Throttle=0");
        }
        Transaction third = rcpt("a@sender.example");
        Verdict v = r.pipeline().run(third);

        assertThat(v.action()).isEqualTo(Action.DEFER);
        assertThat(v.text()).isEqualTo("Sorry, Limit reached (2 mails in 600 seconds) [" + third.id() + "]");
        assertThat(v.decidedBy()).isEqualTo("Throttle");
        assertThat(v.briefScores()).isEqualTo("Throttle=0");
        assertThat(v.scores().getFirst().detail()).isEqualTo("client_address 192.0.2.1: 2/2 mails in 600s, limit reached");
    }

    @Test
    void theSeedsModuleFileLoadsWithItsWarningsAndThrottlesAuthenticatedSenders() throws IOException {
        Files.writeString(dir.resolve("throttle.yml"), """
                ---

                disable: 0
                no_cache: 1
                require_sasl_username: 1
                use_stats_cache: 0
                default_limits:
                    sender_domain:
                        -
                            maximum: 1
                            interval: 10
                        -
                            maximum: 50
                            interval: 600
                    account:
                        -
                            maximum: 50
                            interval: 600
                exception_databases:
                    - sender_domain
                    - sender_address
                reject_messages:
                    10:
                        message: 'Sorry, nicht mehr als eine Mail in 10 Sekunden'
                        code: 450
                default_reject_message:
                    message: 'Sorry, nicht mehr als %maximum% Mails in %interval_minutes% Minuten'
                    code: 450
                """);
        PipelineBuilder.Result r = build("modules:\n  - Throttle: throttle.yml\n");

        assertThat(r.warnings()).hasSize(2).allSatisfy(w -> assertThat(w).startsWith(dir.resolve("throttle.yml") + ":"));
        assertThat(r.warnings().get(0)).endsWith("account limits are set but no accounts: are defined, so they limit nobody");
        assertThat(r.warnings().get(1)).endsWith("exception_databases: per-value limits from database tables are not read;"
                + " write them under per_value: and accounts: (ignored)");

        assertThat(r.pipeline().run(rcpt("a@sender.example")).action()).as("not authenticated").isEqualTo(Action.DUNNO);
        assertThat(r.pipeline().run(rcpt("a@sender.example")).scores()).as("asked, counted nothing")
                .containsExactly(new org.decency.core.Score("Throttle", 0, ""));
        assertThat(r.pipeline().run(sasl("a@sender.example")).action()).isEqualTo(Action.DUNNO);
        Transaction second = sasl("b@sender.example");
        Verdict v = r.pipeline().run(second);
        assertThat(v.action()).isEqualTo(Action.REPLY);
        assertThat(v.text()).isEqualTo("450 Sorry, nicht mehr als eine Mail in 10 Sekunden [" + second.id() + "]");

        clock.advance(Duration.ofSeconds(10));
        assertThat(r.pipeline().run(sasl("b@sender.example")).action()).isEqualTo(Action.DUNNO);
    }

    private PipelineBuilder.Result build(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("doorman.yml"), yaml);
        ConfigNode root = ConfigLoader.load(file);
        CheckEnvironment env = new CheckEnvironment(store, clock, dir, "doorman", List.of(), List.of());
        PipelineBuilder.Result r = new PipelineBuilder().build(root, env, null);
        root.finish();
        return r;
    }

    private static Transaction rcpt(String sender) {
        return Transaction.of(Stage.RCPT, Connection.of("192.0.2.1", "mx.example.net", "mx.example.net"),
                Envelope.of(sender, "user@example.org"));
    }

    private static Transaction sasl(String sender) {
        Connection c = new Connection("192.0.2.1", "mx.example.net", "mx.example.net", "mx.example.net", "ESMTPSA", "PLAIN",
                "user1", "", "", "", "", "", "");
        return Transaction.of(Stage.RCPT, c, Envelope.of(sender, "user@example.org"));
    }
}
