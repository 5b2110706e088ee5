package org.decency.doorman;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.FinalWord;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.pipeline.CustomScoring;
import org.decency.pipeline.Exclusions;
import org.decency.pipeline.Module;
import org.decency.pipeline.ModuleOptions;
import org.decency.pipeline.Pipeline;
import org.decency.pipeline.PipelineSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The policy protocol over a real socket, including the bad inputs. */
class DoormanServerTest {
    private DoormanServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /** Rejects sender spam@..., scores by HELO, throws for sender boom@... */
    static final class ToyCheck implements Check {
        @Override public String name() { return "TOY"; }
        @Override public Set<Stage> stages() { return Set.of(Stage.RCPT); }
        @Override public Outcome evaluate(Transaction tx, Evaluation run) {
            if (tx.sender().localPart().equals("boom")) throw new IllegalStateException("boom");
            if (tx.sender().localPart().equals("spam")) return Outcome.finalWord("TOY", FinalWord.reject("go away"), "spammer");
            if (tx.connection().helo().equals("bad")) return Outcome.score("TOY_HELO", -5, "bad helo").withFlag("toy");
            return Outcome.score("TOY", 0, "fine");
        }
    }

    /** Sleeps per request, like a DNS check would wait. */
    static final class SlowCheck implements Check {
        @Override public String name() { return "SLOW"; }
        @Override public Set<Stage> stages() { return Set.of(Stage.RCPT); }
        @Override public boolean blocking() { return true; }
        @Override public Outcome evaluate(Transaction tx, Evaluation run) throws InterruptedException {
            Thread.sleep(Long.parseLong(tx.attributes().getOrDefault("sleep", "0")));
            return Outcome.score("SLOW", Double.parseDouble(tx.attributes().getOrDefault("score", "0")), "");
        }
    }

    private int start(PolicyLimits limits, boolean disablePrepend, Check... checks) throws InterruptedException {
        List<Module> modules = new ArrayList<>();
        for (Check c : checks) modules.add(new Module(c, new ModuleOptions(c.name(), false, Duration.ofSeconds(5), null)));
        PipelineSettings settings = new PipelineSettings(-100, false, List.of(), "use decency", false, false, "+");
        Pipeline p = new Pipeline(modules, settings, Exclusions.none(), CustomScoring.none(), null, executor);
        server = new DoormanServer(new DoormanSettings("127.0.0.1", 0, 2, limits, disablePrepend), p, Clock.systemUTC(), executor).start();
        return server.port();
    }

    private int start(Check... checks) throws InterruptedException {
        return start(PolicyLimits.defaults(), false, checks);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        executor.shutdownNow();
    }

    @Test
    void answersManyRequestsOnOneConnectionWithTheInstanceHeader() throws Exception {
        int port = start(new ToyCheck());
        try (PolicyClient c = new PolicyClient(port)) {
            String a1 = c.ask(PolicyClient.request("client_address=192.0.2.1", "helo_name=bad", "sender=a@example.net", "recipient=b@example.org"));
            assertThat(a1).matches("action=PREPEND X-Decency-Instance: \\d{4}[a-z0-9]{13}\\|unsigned\\|-5\\|\\d+\\|toy\\|Module: TOY_HELO; Score: -5; bad helo");
            String a2 = c.ask(PolicyClient.request("client_address=192.0.2.1", "sender=spam@example.net", "recipient=b@example.org"));
            assertThat(a2).matches("action=REJECT go away \\[\\d{4}[a-z0-9]{13}\\]");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        int port = start(new ToyCheck(), new SlowCheck());
        try (PolicyClient c = new PolicyClient(port)) {
            c.send(PolicyClient.request("client_address=192.0.2.1", "sender=a@x.net", "sleep=200", "score=1")
                    + PolicyClient.request("client_address=192.0.2.1", "sender=spam@x.net")
                    + PolicyClient.request("client_address=192.0.2.1", "sender=a@x.net", "score=2"));
            assertThat(c.answer()).contains("|1|");
            assertThat(c.answer()).startsWith("action=REJECT go away");
            assertThat(c.answer()).contains("|2|");
        }
    }

    @Test
    void unknownAttributesAreIgnoredAndCrLfIsAccepted() throws Exception {
        int port = start(new ToyCheck());
        try (PolicyClient c = new PolicyClient(port)) {
            String a = c.ask("request=smtpd_access_policy\r\nprotocol_state=RCPT\r\nsender=spam@x.net\r\nbrand_new_attribute=42\r\n\r\n");
            assertThat(a).startsWith("action=REJECT");
        }
    }

    @Test
    void disablePrependAnswersDunno() throws Exception {
        int port = start(PolicyLimits.defaults(), true, new ToyCheck());
        try (PolicyClient c = new PolicyClient(port)) {
            assertThat(c.ask(PolicyClient.request("client_address=192.0.2.1", "sender=a@x.net"))).isEqualTo("action=DUNNO");
        }
    }

    @Test
    void localhostPassesUncheckedWithPlainDunno() throws Exception {
        int port = start(new ToyCheck());
        try (PolicyClient c = new PolicyClient(port)) {
            assertThat(c.ask(PolicyClient.request("client_address=127.0.0.1", "sender=spam@x.net"))).isEqualTo("action=DUNNO");
            assertThat(c.ask(PolicyClient.request("client_address=::1", "sender=spam@x.net"))).isEqualTo("action=DUNNO");
        }
    }

    @Test
    void missingRequestAttributeGetsDunnoAndTheConnectionLives() throws Exception {
        int port = start(new ToyCheck());
        try (PolicyClient c = new PolicyClient(port)) {
            assertThat(c.ask("protocol_state=RCPT\nsender=spam@x.net\n\n")).isEqualTo("action=DUNNO");
            assertThat(c.ask("request=junk\nsender=spam@x.net\n\n")).isEqualTo("action=DUNNO");
            assertThat(c.ask(PolicyClient.request("client_address=192.0.2.1", "sender=spam@x.net"))).startsWith("action=REJECT");
        }
    }

    @Test
    void overlongLineGetsDunnoAndClose() throws Exception {
        int port = start(new PolicyLimits(256, 4096, 50, Duration.ofSeconds(5), Duration.ofMinutes(1)), false, new ToyCheck());
        try (PolicyClient c = new PolicyClient(port)) {
            assertThat(c.ask("request=smtpd_access_policy\nsender=" + "a".repeat(1000) + "\n\n")).isEqualTo("action=DUNNO");
            assertThat(c.closedByServer()).isTrue();
        }
        try (PolicyClient c = new PolicyClient(port)) { // a line without end, longer than the limit
            c.send("request=smtpd_access_policy\nsender=" + "a".repeat(1000));
            assertThat(c.answer()).isEqualTo("action=DUNNO");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void overlongRequestGetsDunnoAndClose() throws Exception {
        int port = start(new PolicyLimits(256, 1024, 1000, Duration.ofSeconds(5), Duration.ofMinutes(1)), false, new ToyCheck());
        try (PolicyClient c = new PolicyClient(port)) {
            StringBuilder b = new StringBuilder("request=smtpd_access_policy\n");
            for (int i = 0; i < 100; i++) b.append("x").append(i).append("=").append("v".repeat(20)).append('\n');
            assertThat(c.ask(b.append('\n').toString())).isEqualTo("action=DUNNO");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void binaryGarbageGetsDunnoAndClose() throws Exception {
        int port = start(new ToyCheck());
        try (PolicyClient c = new PolicyClient(port)) {
            c.send(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, '\n', '\n'});
            assertThat(c.answer()).isEqualTo("action=DUNNO");
            assertThat(c.closedByServer()).isTrue();
        }
        try (PolicyClient c = new PolicyClient(port)) {
            assertThat(c.ask("GET / HTTP/1.0\n\n")).isEqualTo("action=DUNNO");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aClientStallingMidRequestIsDroppedWhileOthersAreServed() throws Exception {
        int port = start(new PolicyLimits(8192, 65536, 100, Duration.ofMillis(300), Duration.ofMinutes(1)), false, new ToyCheck());
        try (PolicyClient staller = new PolicyClient(port); PolicyClient other = new PolicyClient(port)) {
            staller.send("request=smtpd_access_policy\nsender=a@x.net\n");
            assertThat(other.ask(PolicyClient.request("client_address=192.0.2.1", "sender=spam@x.net"))).startsWith("action=REJECT");
            assertThat(staller.closedByServer()).isTrue();
        }
    }

    @Test
    void anIdleConnectionBetweenRequestsIsKeptUntilTheIdleTimeout() throws Exception {
        int port = start(new PolicyLimits(8192, 65536, 100, Duration.ofMillis(100), Duration.ofMillis(600)), false, new ToyCheck());
        try (PolicyClient c = new PolicyClient(port)) {
            assertThat(c.ask(PolicyClient.request("client_address=192.0.2.1", "sender=spam@x.net"))).startsWith("action=REJECT");
            Thread.sleep(300); // several request_timeout periods, less than idle_timeout
            assertThat(c.ask(PolicyClient.request("client_address=192.0.2.1", "sender=spam@x.net"))).startsWith("action=REJECT");
            assertThat(c.closedByServer()).isTrue(); // waits up to 5 s; the idle timeout closes it
        }
    }

    @Test
    void aClientVanishingMidRequestDoesNotDisturbTheServer() throws Exception {
        int port = start(new ToyCheck());
        try (PolicyClient c = new PolicyClient(port)) {
            c.send("request=smtpd_access_policy\nsender=a@x");
        }
        try (PolicyClient c = new PolicyClient(port)) {
            assertThat(c.ask(PolicyClient.request("client_address=192.0.2.1", "sender=spam@x.net"))).startsWith("action=REJECT");
        }
    }

    @Test
    void aFailingCheckCountsZeroAndTheRequestIsStillAnswered() throws Exception {
        int port = start(new ToyCheck());
        try (PolicyClient c = new PolicyClient(port)) {
            String a = c.ask(PolicyClient.request("client_address=192.0.2.1", "sender=boom@x.net"));
            assertThat(a).startsWith("action=PREPEND X-Decency-Instance:").contains("Module: TOY; Score: 0; error: IllegalStateException");
        }
    }

    @Test
    void servesTwoThousandConcurrentConnections() throws Exception {
        int port = start(new ToyCheck());
        List<PolicyClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 2000; i++) clients.add(new PolicyClient(port));
            for (PolicyClient c : clients) c.send(PolicyClient.request("client_address=192.0.2.1", "sender=spam@x.net"));
            try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<String>> answers = new ArrayList<>();
                for (PolicyClient c : clients) answers.add(readers.submit(c::answer));
                for (Future<String> f : answers) assertThat(f.get()).startsWith("action=REJECT go away");
            }
        } finally {
            for (PolicyClient c : clients) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // closing is best effort in a test
                }
            }
        }
    }
}
