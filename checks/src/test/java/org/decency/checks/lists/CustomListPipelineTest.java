package org.decency.checks.lists;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.decency.core.Action;
import org.decency.core.Check;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.pipeline.CustomScoring;
import org.decency.pipeline.Exclusions;
import org.decency.pipeline.Module;
import org.decency.pipeline.ModuleOptions;
import org.decency.pipeline.Pipeline;
import org.decency.pipeline.PipelineSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CWL and CBL in a pipeline, as the Doorman runs them: CWL first, so a whitelisted client is never blacklisted. */
class CustomListPipelineTest {
    @TempDir
    Path dir;

    @Test
    void cwlEndsTheRunWithOkBeforeCblIsAskedAndCblRejectsTheRest() {
        ListTestSupport t = new ListTestSupport(dir);
        Pipeline pipeline = pipeline(
                t.cwl("ips: {example.org: [192.0.2.1]}"),
                t.cbl("ips: {example.org: [192.0.2.0/24]}\nreject_message: Blocked here"));

        Verdict white = pipeline.run(rcpt("192.0.2.1"));
        assertThat(white.action()).isEqualTo(Action.OK);
        assertThat(white.flags()).contains("whitelisted");
        assertThat(white.decidedBy()).isEqualTo("CWL");

        Transaction other = rcpt("192.0.2.2");
        Verdict black = pipeline.run(other);
        assertThat(black.action()).isEqualTo(Action.REJECT);
        assertThat(black.text()).isEqualTo("Blocked here [" + other.id() + "]");
        assertThat(black.briefScores()).as("every check asked shows, the silent CWL too").isEqualTo("CWL=0 CBL=0");

        assertThat(pipeline.run(rcpt("198.51.100.1")).action()).isEqualTo(Action.DUNNO);
    }

    private static Transaction rcpt(String ip) {
        return Transaction.of(Stage.RCPT, Connection.of(ip, "mx.example", "mx.example"),
                Envelope.of("someone@sender.example", "user@example.org"));
    }

    private static Pipeline pipeline(Check... checks) {
        List<Module> modules = java.util.Arrays.stream(checks)
                .map(c -> new Module(c, new ModuleOptions(c.name(), false, ModuleOptions.DEFAULT_TIMEOUT, null)))
                .toList();
        return new Pipeline(modules, PipelineSettings.defaults(), Exclusions.none(), CustomScoring.none(), null, null);
    }
}
