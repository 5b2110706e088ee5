package org.decency.checks.clamav;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.decency.checks.support.TestMails;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.Action;
import org.decency.core.CheckEnvironment;
import org.decency.core.Verdict;
import org.decency.pipeline.Pipeline;
import org.decency.pipeline.PipelineBuilder;
import org.decency.store.InMemoryStore;
import org.decency.testkit.TestClamd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ClamAV in a Detective pipeline built from YAML: found by its name, run off the event loop, its timeout an on_failure case. */
class ClamAvPipelineTest {
    @TempDir
    static Path clamdDir;
    static TestClamd clamd;

    @TempDir
    Path dir;
    final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeAll
    static void startClamd() {
        clamd = TestClamd.start(clamdDir);
    }

    @AfterAll
    static void stopClamd() {
        if (clamd != null) clamd.close();
    }

    Pipeline pipeline(String module) throws IOException {
        Path config = Files.writeString(dir.resolve("detective.yml"), "modules:\n  - " + module + "\n");
        ConfigNode root = ConfigLoader.load(config);
        CheckEnvironment env = new CheckEnvironment(new InMemoryStore(Clock.systemUTC()), Clock.systemUTC(), dir, "detective", List.of(), List.of());
        Pipeline p = new PipelineBuilder().build(root, env, executor).pipeline();
        root.finish();
        return p;
    }

    @Test
    void aVirusFlagsTheVerdictAndACleanMailPasses() throws IOException {
        Pipeline p = pipeline("ClamAV: {host: 127.0.0.1, port: " + clamd.port() + ", weight_virus: -10}");
        TestMails mails = new TestMails(dir);

        Verdict virus = p.run(TestMails.tx(ClamAvTesting.infected(mails, 1)));
        Verdict clean = p.run(TestMails.tx(ClamAvTesting.clean(mails, 2)));

        assertThat(virus.flags()).containsExactly("virus=" + TestClamd.FOUND_NAME);
        assertThat(virus.briefScores()).isEqualTo("ClamAV=-10");
        assertThat(clean.action()).isEqualTo(Action.DUNNO);
        assertThat(clean.flags()).isEmpty();
        assertThat(clean.briefScores()).isEqualTo("ClamAV=0");
    }

    @Test
    void aFrozenClamdDefersTheMailAndTheCheckSaysSoBeforeThePipelineGivesUp() throws IOException {
        Pipeline p = pipeline("ClamAV: {host: 127.0.0.1, port: " + clamd.port() + ", timeout: 1s}");
        TestMails mails = new TestMails(dir);
        clamd.suspend();
        try {
            Verdict v = p.run(TestMails.tx(ClamAvTesting.clean(mails, 1)));

            assertThat(v.action()).isEqualTo(Action.DEFER);
            assertThat(v.text()).contains("4.3.0 ClamAV is not available, try again later");
            assertThat(v.scores()).extracting(org.decency.core.Score::detail)
                    .containsExactly("failed: clamd 127.0.0.1:" + clamd.port() + ": no answer in time (timeout 1s)");
        } finally {
            clamd.resume();
        }
    }
}
