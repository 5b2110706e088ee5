package org.decency.checks.honeypot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.decency.config.ConfigLoader;
import org.decency.core.Action;
import org.decency.core.CheckEnvironment;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.ManualClock;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.pipeline.CustomScoring;
import org.decency.pipeline.Exclusions;
import org.decency.pipeline.Module;
import org.decency.pipeline.ModuleOptions;
import org.decency.pipeline.Pipeline;
import org.decency.pipeline.PipelineSettings;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Honeypot's answers as the pipeline renders them. */
class HoneypotPipelineTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T10:00:00Z"));

    @Test
    void collectionModeEndsWithPrependAndTheHoneyFlag() throws IOException {
        Pipeline pipeline = pipeline("addresses: trap@example.org\npass_for_collection: 1\n");

        Verdict v = pipeline.run(rcpt("192.0.2.9", "trap@example.org"));

        assertThat(v.action()).isEqualTo(Action.PREPEND);
        assertThat(v.flags()).contains("honey");
        assertThat(v.decidedBy()).isEqualTo("Honeypot");
    }

    @Test
    void aScoreAtTheThresholdRejectsWithTheHoneypotMessage() throws IOException {
        Pipeline pipeline = pipeline("addresses: trap@example.org\nscore: -100\n");

        Transaction tx = rcpt("192.0.2.9", "trap@example.org");
        Verdict v = pipeline.run(tx);

        assertThat(v.action()).isEqualTo(Action.REJECT);
        assertThat(v.text()).isEqualTo("The honey has been served. [" + tx.id() + "]");
        assertThat(v.total()).isEqualTo(-100);
    }

    @Test
    void aScoreBelowTheThresholdLetsTheRunGoOn() throws IOException {
        Pipeline pipeline = pipeline("addresses: trap@example.org\nscore: -40\n");

        Verdict v = pipeline.run(rcpt("192.0.2.9", "trap@example.org"));

        assertThat(v.action()).isEqualTo(Action.DUNNO);
        assertThat(v.briefScores()).isEqualTo("Honeypot=-40");
    }

    private Pipeline pipeline(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("honeypot.yml"), yaml);
        CheckEnvironment env = new CheckEnvironment(new InMemoryStore(clock), clock, dir, "doorman", List.of(), List.of());
        var check = new HoneypotFactory().create("Honeypot", ConfigLoader.loadFile(file, ""), env);
        var module = new Module(check, new ModuleOptions("Honeypot", false, ModuleOptions.DEFAULT_TIMEOUT, null));
        return new Pipeline(List.of(module), PipelineSettings.defaults(), Exclusions.none(), CustomScoring.none(), null, null);
    }

    private static Transaction rcpt(String ip, String recipient) {
        return Transaction.of(Stage.RCPT, Connection.of(ip, "", ""), Envelope.of("s@elsewhere.example", recipient));
    }
}
