package org.decency.checks.dspam;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.decency.checks.support.TestMails;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.Action;
import org.decency.core.CheckEnvironment;
import org.decency.core.ManualClock;
import org.decency.core.Verdict;
import org.decency.pipeline.Pipeline;
import org.decency.pipeline.PipelineBuilder;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DSPAM in a Detective pipeline built from YAML (found through the CheckFactory services), with the stand-in as its server. */
class DspamPipelineTest {
    @TempDir
    Path dir;
    DspamStandIn dspam;
    final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void start() throws IOException {
        dspam = DspamStandIn.tcp();
    }

    @AfterEach
    void stop() {
        blocking.close();
        dspam.close();
    }

    Pipeline pipeline(String module) throws IOException {
        Path config = Files.writeString(dir.resolve("detective.yml"), "weight_threshold: -40\nmodules:\n  - DSPAM: {" + module + "}\n");
        ConfigNode root = ConfigLoader.load(config);
        ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));
        CheckEnvironment env = new CheckEnvironment(new InMemoryStore(clock), clock, dir, "detective", List.of(), List.of());
        Pipeline p = new PipelineBuilder().build(root, env, blocking).pipeline();
        root.finish();
        return p;
    }

    String standIn() {
        return dspam.yaml().strip().replace("\n", ", ");
    }

    Verdict run(Pipeline p, String body) {
        return p.run(TestMails.tx(new TestMails(dir).raw("Subject: t\n\n" + body + "\n")));
    }

    @Test
    void spamReachesTheThresholdAndInnocentMailPasses() throws IOException {
        Pipeline p = pipeline(standIn());

        Verdict spam = run(p, "viagra");
        Verdict ham = run(p, "minutes");

        assertThat(spam.action()).isEqualTo(Action.REJECT);
        assertThat(spam.briefScores()).isEqualTo("DSPAM=-50");
        assertThat(spam.flags()).contains("spam");
        assertThat(ham.action()).isEqualTo(Action.DUNNO);
        assertThat(ham.briefScores()).isEqualTo("DSPAM=10");
    }

    @Test
    void tempfailDefersTheMailWhenDspamIsDownOrSilent() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Verdict down = run(pipeline("host: 127.0.0.1, port: " + port + ", on_failure: tempfail"), "viagra");
        dspam.mode = DspamStandIn.Mode.SILENT;
        Pipeline silent = pipeline(standIn() + ", timeout: 2s, on_failure: tempfail");

        long t0 = System.nanoTime();
        Verdict late = run(silent, "viagra");

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1900));
        assertThat(List.of(down, late)).allSatisfy(v -> {
            assertThat(v.action()).isEqualTo(Action.DEFER);
            assertThat(v.text()).startsWith("4.3.0 DSPAM is not available, try again later");
        });
        assertThat(run(pipeline("host: 127.0.0.1, port: " + port), "viagra").action()).isEqualTo(Action.DUNNO);
    }
}
