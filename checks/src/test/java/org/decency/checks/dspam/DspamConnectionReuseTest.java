package org.decency.checks.dspam;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.decency.checks.support.TestMails;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;
import org.decency.core.Evaluation;
import org.decency.core.ManualClock;
import org.decency.core.Outcome;
import org.decency.core.Transaction;
import org.decency.pipeline.ModuleOptions;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DSPAM module keeps its connections to the stand-in open between mails, and replaces one the server closed. */
class DspamConnectionReuseTest {
    @TempDir
    Path dir;
    DspamStandIn dspam;
    DspamCheck check;

    @BeforeEach
    void start() throws IOException {
        dspam = DspamStandIn.tcp();
        Path f = Files.writeString(dir.resolve("dspam.yml"), dspam.yaml() + "timeout: 5s\n");
        ConfigNode n = ConfigLoader.loadFile(f, "");
        ModuleOptions.read("DSPAM", n);
        ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));
        CheckEnvironment env = new CheckEnvironment(new InMemoryStore(clock), clock, dir, "detective", List.of(), List.of());
        check = (DspamCheck) new DspamFactory().create("DSPAM", n, env);
    }

    @AfterEach
    void stop() {
        check.close();
        dspam.close();
    }

    /** One writer for all mails of a test: each mail gets a file of its own. */
    TestMails mails;

    synchronized Transaction tx(String body) {
        if (mails == null) mails = new TestMails(dir);
        return TestMails.tx(mails.raw("Subject: t\n\n" + body + "\n"));
    }

    Outcome ask(String body) {
        return check.evaluate(tx(body), new Evaluation(-100));
    }

    @Test
    void severalMailsGoOverOneConnection() {
        List<Double> scores = new ArrayList<>();
        for (int i = 0; i < 5; i++) scores.add(ask(i % 2 == 0 ? "viagra " + i : "meeting " + i).total());

        assertThat(scores).containsExactly(-50.0, 10.0, -50.0, 10.0, -50.0);
        assertThat(dspam.connections.get()).isEqualTo(1);
        assertThat(dspam.received).hasSize(5).allSatisfy(r -> assertThat(r.connection()).isEqualTo(1));
        assertThat(dspam.commands.stream().filter(c -> c.startsWith("LHLO"))).hasSize(1);
        assertThat(check.client().opened()).isEqualTo(1);
        assertThat(check.client().idleCount()).isEqualTo(1);
    }

    @Test
    void aKeptConnectionTheServerClosedIsReplacedOnceAndTheMailStillGetsItsVerdict() {
        assertThat(ask("viagra").total()).isEqualTo(-50);
        dspam.dropConnections(); // as DSPAM does on a reload, or after 300 silent seconds

        Outcome o = ask("viagra again");

        assertThat(o.total()).isEqualTo(-50);
        assertThat(o.temporary()).isFalse();
        assertThat(dspam.connections.get()).isEqualTo(2);
        assertThat(dspam.received).extracting(DspamStandIn.Received::connection).containsExactly(1, 2);
    }

    @Test
    void aServerThatClosesAfterEveryMailCostsAConnectionAMailAndNothingElse() {
        dspam.mode = DspamStandIn.Mode.CLOSE_AFTER_ANSWER;

        List<Double> scores = new ArrayList<>();
        for (int i = 0; i < 4; i++) scores.add(ask("viagra " + i).total());

        assertThat(scores).containsOnly(-50.0);
        assertThat(dspam.connections.get()).isEqualTo(4);
        assertThat(dspam.received).hasSize(4);
    }

    @Test
    void theReconnectionIsTriedOnceOnly() {
        assertThat(ask("viagra").total()).isEqualTo(-50);
        dspam.close(); // the kept connection is closed and nobody listens any more

        Outcome o = ask("viagra");

        assertThat(o.total()).as(o + " connections " + dspam.connections.get() + " received " + dspam.received).isZero();
        assertThat(o.scores().getFirst().detail()).startsWith("skipped: DSPAM at 127.0.0.1:").contains(": cannot connect: ");
        assertThat(dspam.connections.get()).isEqualTo(1);
    }

    @Test
    void mailsAtOnceTakeConnectionsOfTheirOwnAndAFewAreKept() throws Exception {
        int threads = 8;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Double>> results = new ArrayList<>();
            for (int i = 0; i < threads * 10; i++) {
                Transaction tx = tx(i % 3 == 0 ? "viagra " + i : "hello " + i);
                results.add(pool.submit(() -> check.evaluate(tx, new Evaluation(-100)).total()));
            }
            for (int i = 0; i < results.size(); i++) assertThat(results.get(i).get()).isEqualTo(i % 3 == 0 ? -50.0 : 10.0);
        }

        assertThat(dspam.received).hasSize(80);
        // a mail that finds no idle connection opens one; of those given back, up to IDLE_CONNECTIONS are kept
        assertThat(dspam.connections.get()).isLessThan(80);
        assertThat(check.client().idleCount()).isBetween(1, DspamClient.IDLE_CONNECTIONS);
    }

    @Test
    void closingTheModuleSaysGoodbyeOnTheKeptConnections() {
        ask("hello");

        check.close();

        DspamCheckTest.await(() -> dspam.commands.contains("QUIT"));
        assertThat(dspam.commands).endsWith("QUIT");
        assertThat(check.client().idleCount()).isZero();
    }
}
