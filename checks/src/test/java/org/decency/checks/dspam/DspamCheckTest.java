package org.decency.checks.dspam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.decency.checks.engine.Trainable.Lesson;
import org.decency.checks.support.TestMails;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.Action;
import org.decency.core.CheckEnvironment;
import org.decency.core.Evaluation;
import org.decency.core.ManualClock;
import org.decency.core.Outcome;
import org.decency.core.Transaction;
import org.decency.mail.SpooledMessage;
import org.decency.pipeline.ModuleOptions;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DSPAM module against {@link DspamStandIn}, a loopback server answering as DSPAM's
 * DLMTP server does (no real DSPAM: it is no longer packaged): verdicts and weights, what
 * is sent, training, and every way the server can fail.
 */
class DspamCheckTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));
    DspamStandIn dspam;
    final List<DspamCheck> checks = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        dspam = DspamStandIn.tcp();
    }

    @AfterEach
    void stop() {
        checks.forEach(DspamCheck::close);
        dspam.close();
    }

    DspamCheck check(String yaml) throws IOException {
        Path f = Files.writeString(dir.resolve("dspam.yml"), yaml);
        ConfigNode n = ConfigLoader.loadFile(f, "");
        ModuleOptions.read("DSPAM", n);
        CheckEnvironment env = new CheckEnvironment(new InMemoryStore(clock), clock, dir, "detective", List.of(), List.of());
        DspamCheck c = (DspamCheck) new DspamFactory().create("DSPAM", n, env);
        checks.add(c);
        return c;
    }

    DspamCheck check() throws IOException {
        return check(dspam.yaml());
    }

    SpooledMessage mail(String body) {
        return new TestMails(dir).mail().text(body).message();
    }

    Transaction tx(String body) {
        return TestMails.tx(mail(body), "203.0.113.5", "sender@example.net", "bob@example.org");
    }

    static Evaluation run() {
        return new Evaluation(-100);
    }

    /** A port nobody listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void spamGetsWeightSpamAndTheSpamFlag() throws IOException {
        DspamCheck check = check(dspam.yaml() + "weight_spam: -70\n");

        Outcome o = check.evaluate(tx("Cheap viagra, order now\n"), run());

        assertThat(o.total()).isEqualTo(-70);
        assertThat(o.scores().getFirst().code()).isEqualTo("DSPAM");
        assertThat(o.scores().getFirst().detail()).isEqualTo("Result: Spam, probability 0.99, confidence 0.80");
        assertThat(o.flags()).containsExactly("spam");
        assertThat(o.finalWord()).isNull();
        assertThat(o.temporary()).isFalse();
    }

    @Test
    void innocentGetsWeightInnocent() throws IOException {
        DspamCheck check = check(dspam.yaml() + "weight_innocent: 15\n");

        Outcome o = check.evaluate(tx("Minutes of yesterday's meeting attached.\n"), run());

        assertThat(o.total()).isEqualTo(15);
        assertThat(o.scores().getFirst().detail()).isEqualTo("Result: Innocent, probability 0.00, confidence 1.00");
        assertThat(o.flags()).isEmpty();
    }

    @Test
    void whitelistedCountsAsInnocent() throws IOException {
        DspamCheck check = check();
        SpooledMessage m = new TestMails(dir).mail().header("From", "Friend <friend@example.net>").text("lunch?\n").message();

        Outcome o = check.evaluate(TestMails.tx(m), run());

        assertThat(o.total()).isEqualTo(10);
        assertThat(o.scores().getFirst().detail()).isEqualTo("Result: Innocent (Whitelisted), probability 0.00, confidence 0.99");
        assertThat(o.flags()).isEmpty();
    }

    @Test
    void theIdentAndTheProcessModeAreSentAsDspamDocumentsThemAndTheMailArrivesIntact() throws IOException {
        DspamCheck check = check();
        SpooledMessage m = mail("a line\n.starts with a dot\n..and two\n.\nend\n");

        check.evaluate(TestMails.tx(m, "203.0.113.5", "sender@example.net", "bob@example.org"), run());

        assertThat(dspam.received).hasSize(1);
        DspamStandIn.Received r = dspam.received.getFirst();
        assertThat(r.lhlo()).isEqualTo("Relay1");
        assertThat(r.mailFrom()).isEqualTo("MAIL FROM:<secret@Relay1> DSPAMPROCESSMODE=\"--classify --deliver=summary --stdout\"");
        assertThat(r.rcpt()).isEqualTo("RCPT TO:<bob@example.org>");
        assertThat(r.users()).as("the user goes in RCPT TO only, so DSPAM processes the mail once").containsExactly("bob@example.org");
        assertThat(r.data()).isEqualTo(Files.readString(m.file(), StandardCharsets.ISO_8859_1));
        assertThat(dspam.commands).containsExactly("LHLO Relay1", r.mailFrom(), r.rcpt(), "DATA");
    }

    @Test
    void theSeedsUserArgumentWouldHaveDspamProcessTheMailTwice() {
        // DSPAM's server adds the RCPT TO user and every --user of DSPAMPROCESSMODE to one list, doubles and all
        assertThat(DspamStandIn.users("bob", "--user bob --client --classify --stdout")).containsExactly("bob", "bob");
        assertThat(DspamStandIn.users("bob", DspamCheck.ProcessMode.classify())).containsExactly("bob");
    }

    @Test
    void defaultUserAndCmdUserChooseDspamsUser() throws IOException {
        check(dspam.yaml() + "default_user: shared\n").evaluate(tx("hello\n"), run());
        check(dspam.yaml() + "cmd_user: \"sed s/@.*//\"\n").evaluate(tx("hello\n"), run());

        assertThat(dspam.received).extracting(DspamStandIn.Received::users).containsExactly(List.of("shared"), List.of("bob"));
        assertThat(dspam.received).extracting(DspamStandIn.Received::rcpt).containsExactly("RCPT TO:<shared>", "RCPT TO:<bob>");
    }

    @Test
    void aUserDspamCannotTakeIsSkippedNotInjectedNorDeferred() throws IOException {
        for (String user : List.of("bob --class=spam", "bob>", "../../etc/x", "-x", "a\\\"b")) {
            Outcome o = check(dspam.yaml() + "on_failure: tempfail\ndefault_user: '" + user + "'\n").evaluate(tx("hello\n"), run());

            assertThat(o.total()).isZero();
            assertThat(o.finalWord()).isNull();
            assertThat(o.scores().getFirst().detail()).startsWith("skipped: the user \"").contains("\" cannot be passed to DSPAM");
        }
        assertThat(dspam.connections.get()).isZero();
    }

    @Test
    void aWrongPasswordIsRefusedAndThePasswordIsNotShown() throws IOException {
        Outcome o = check(dspam.yaml() + "client_ident: guess@Relay1\n").evaluate(tx("hello\n"), run());

        String detail = o.scores().getFirst().detail();
        assertThat(o.total()).isZero();
        assertThat(o.temporary()).isTrue();
        assertThat(detail).contains("refused MAIL FROM (is client_ident ...@Relay1 in dspam.conf as ServerPass.Relay1?): "
                + "503 5.1.0 Authentication Required");
        assertThat(detail).doesNotContain("guess");
        assertThat(dspam.received).isEmpty();
    }

    @Test
    void aServerSpeakingPlainLmtpIsNotGivenTheMail() throws IOException {
        dspam.mode = DspamStandIn.Mode.STANDARD;

        Outcome o = check().evaluate(tx("hello\n"), run());

        assertThat(o.total()).isZero();
        assertThat(o.scores().getFirst().detail()).contains("does not offer DSPAMPROCESSMODE after LHLO Relay1")
                .contains("set ServerMode dspam (or auto) and ServerPass.Relay1");
        await(() -> dspam.commands.size() >= 2);
        assertThat(dspam.commands).containsExactly("LHLO Relay1", "QUIT");
    }

    @Test
    void aServerThatIsDownIsSkippedOrDefersTheMail() throws IOException {
        int port = closedPort();
        String down = "host: 127.0.0.1\nport: " + port + "\n";

        Outcome skip = check(down).evaluate(tx("hello\n"), run());
        Outcome tempfail = check(down + "on_failure: tempfail\n").evaluate(tx("hello\n"), run());

        assertThat(skip.total()).isZero();
        assertThat(skip.finalWord()).isNull();
        assertThat(skip.temporary()).isTrue();
        assertThat(skip.scores().getFirst().detail()).startsWith("skipped: DSPAM at 127.0.0.1:" + port + ": cannot connect: ");
        assertThat(tempfail.finalWord().action()).isEqualTo(Action.DEFER);
        assertThat(tempfail.finalWord().text()).isEqualTo("4.3.0 DSPAM is not available, try again later");
        assertThat(tempfail.scores().getFirst().detail()).startsWith("failed: DSPAM at 127.0.0.1:" + port + ": cannot connect: ");
        assertThat(tempfail.temporary()).isTrue();
    }

    @Test
    void aServerThatNeverAnswersFailsWithinTheTimeout() throws IOException {
        dspam.mode = DspamStandIn.Mode.SILENT;
        DspamCheck check = check(dspam.yaml() + "timeout: 2s\non_failure: tempfail\n");

        long t0 = System.nanoTime();
        Outcome o = check.evaluate(tx("hello\n"), run());
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofMillis(1900));
        assertThat(o.finalWord().action()).isEqualTo(Action.DEFER);
        assertThat(o.scores().getFirst().detail()).endsWith(": no complete answer within 1s");
    }

    @Test
    void aServerThatStallsAfterTheMailFailsWithinTheTimeoutToo() throws IOException {
        dspam.mode = DspamStandIn.Mode.STALL_AFTER_DATA;
        DspamCheck check = check(dspam.yaml() + "timeout: 3s\n");

        long t0 = System.nanoTime();
        Outcome o = check.evaluate(tx("hello\n"), run());

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1900), Duration.ofMillis(2900));
        assertThat(o.total()).isZero();
        assertThat(o.scores().getFirst().detail()).isEqualTo("skipped: DSPAM at 127.0.0.1:" + port() + ": no complete answer within 2s");
        assertThat(dspam.received).hasSize(1);
    }

    @Test
    void aServerThatStopsReadingCannotHoldTheModulePastItsTimeout() throws IOException {
        dspam.mode = DspamStandIn.Mode.STOP_READING_AT_DATA;
        DspamCheck check = check(dspam.yaml() + "timeout: 2s\n");
        // far more than the loopback socket buffers take in while nobody reads
        byte[] line = ("y".repeat(998) + "\n").getBytes(StandardCharsets.US_ASCII);
        Path big = dir.resolve("big.eml");
        try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(big))) {
            out.write("Subject: big\n\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 32_000; i++) out.write(line);
        }

        long t0 = System.nanoTime();
        Outcome o = check.evaluate(TestMails.tx(new TestMails(dir).raw(Files.readAllBytes(big))), run());

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1900));
        assertThat(o.total()).isZero();
        assertThat(o.scores().getFirst().detail()).endsWith(": no complete answer within 1s");
    }

    /** Waits up to 5 seconds for what the stand-in hears after the module is done. */
    static void await(java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < end) sleep(10);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int port() {
        return Integer.parseInt(dspam.yaml().replaceAll("(?s).*port: (\\d+).*", "$1"));
    }

    @Test
    void garbageInsteadOfAVerdictIsAFailure() throws IOException {
        dspam.mode = DspamStandIn.Mode.GARBAGE_AFTER_DATA;
        DspamCheck check = check(dspam.yaml() + "on_failure: tempfail\ntimeout: 2s\n");

        Outcome text = check.evaluate(tx("hello\n"), run());
        dspam.garbage = List.of("X-DSPAM-Result: bob; result=\"Spam\"; probability=lots", ".");
        Outcome number = check.evaluate(tx("hello\n"), run());
        dspam.garbage = List.of("250 2.6.0 <bob> Message accepted for delivery: PERHAPS");
        Outcome klass = check.evaluate(tx("hello\n"), run());
        dspam.garbage = List.of("\u0000\u0001\u00ff binary noise");

        Outcome noise = check.evaluate(tx("hello\n"), run());

        assertThat(List.of(text, number, klass, noise)).allSatisfy(o -> {
            assertThat(o.finalWord().action()).isEqualTo(Action.DEFER);
            assertThat(o.total()).isZero();
        });
        assertThat(text.scores().getFirst().detail()).endsWith("no X-DSPAM-Result in DSPAM's answer (it began with \"I am not DSPAM\")");
        assertThat(number.scores().getFirst().detail()).endsWith("DSPAM's probability is not a number from 0 to 1: \"lots\"");
        assertThat(klass.scores().getFirst().detail()).endsWith("unknown DSPAM class \"PERHAPS\"");
        assertThat(noise.scores().getFirst().detail()).contains("no complete answer within").doesNotContain("\u0000");
    }

    @Test
    void aGarbageGreetingIsAFailure() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (var c = s.accept()) {
                    c.getOutputStream().write("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII));
                    c.getInputStream().read();
                } catch (IOException e) {
                    // done
                }
            });

            Outcome o = check("host: 127.0.0.1\nport: " + s.getLocalPort() + "\n").evaluate(tx("hello\n"), run());

            assertThat(o.total()).isZero();
            assertThat(o.scores().getFirst().detail()).endsWith("not an LMTP reply in the greeting: \"SSH-2.0-OpenSSH_9.6\"");
        }
    }

    @Test
    void aMailLargerThanMaxSizeIsNotSent() throws IOException {
        Outcome o = check(dspam.yaml() + "max_size: 100\n").evaluate(tx("viagra ".repeat(40) + "\n"), run());

        assertThat(o.total()).isZero();
        assertThat(o.scores().getFirst().detail()).startsWith("skipped: the mail has ").endsWith("more than max_size 100");
        assertThat(dspam.connections.get()).isZero();
    }

    @Test
    void thePipelinesGivingUpAnswersWithOnFailure() throws IOException {
        Outcome o = check(dspam.yaml() + "on_failure: tempfail\n").failed("timeout after 15s");

        assertThat(o.finalWord().action()).isEqualTo(Action.DEFER);
        assertThat(o.scores().getFirst().detail()).isEqualTo("failed: DSPAM at 127.0.0.1:" + port() + ": timeout after 15s");
    }

    @Test
    void aUnixSocketWorksAsTcpDoes() throws IOException {
        try (DspamStandIn local = DspamStandIn.unix(dir.resolve("dspam.sock"))) {
            DspamCheck check = check(local.yaml());

            Outcome o = check.evaluate(tx("viagra\n"), run());

            assertThat(o.total()).isEqualTo(-50);
            assertThat(local.received).hasSize(1);
            assertThat(dspam.received).isEmpty();
        }
    }

    @Test
    void learningIsCorpusTrainingOfTheClass() throws IOException {
        DspamCheck check = check(dspam.yaml());
        Path mail = Files.writeString(dir.resolve("lesson.eml"), "Subject: buy\n\nviagra\n");

        check.train(mail, "bob@example.org", Lesson.SPAM, false);
        check.train(mail, "bob@example.org", Lesson.HAM, false);

        assertThat(dspam.processModes()).containsExactly(
                "--mode=teft --source=corpus --class=spam --deliver=summary --stdout",
                "--mode=teft --source=corpus --class=innocent --deliver=summary --stdout");
        assertThat(dspam.received).extracting(DspamStandIn.Received::users).containsOnly(List.of("bob@example.org"));
        assertThat(dspam.received.getFirst().data()).isEqualTo("Subject: buy\r\n\r\nviagra\r\n");
    }

    @Test
    void forgettingIsRetrainingAsAnErrorToTheOtherClass() throws IOException {
        DspamCheck check = check(dspam.yaml() + "default_user: shared\n");
        Path signed = Files.writeString(dir.resolve("signed.eml"), "Subject: x\nX-DSPAM-Signature: 1,52e9868836001165617631\n\nhi\n");

        check.train(signed, "", Lesson.SPAM, true);
        check.train(signed, "", Lesson.HAM, true);

        assertThat(dspam.processModes()).containsExactly(
                "--source=error --class=innocent --deliver=summary --stdout",
                "--source=error --class=spam --deliver=summary --stdout");
        assertThat(dspam.received).extracting(DspamStandIn.Received::rcpt).containsOnly("RCPT TO:<shared>");
    }

    @Test
    void aLessonDspamRefusesOrCannotTakeThrowsWithTheReason() throws IOException {
        DspamCheck check = check(dspam.yaml());
        Path unsigned = Files.writeString(dir.resolve("unsigned.eml"), "Subject: x\n\nhi\n");

        assertThatThrownBy(() -> check.train(unsigned, "bob", Lesson.SPAM, true)).isInstanceOf(IOException.class)
                .hasMessage("DSPAM: DSPAM did not take the lesson for unsigned.eml: "
                        + "DSPAM refused the mail: 421 4.3.0 <bob> Error occured during processing");
        assertThatThrownBy(() -> check.train(unsigned, "", Lesson.SPAM, false)).isInstanceOf(IOException.class)
                .hasMessage("DSPAM: DSPAM needs a user to train: give one, or set default_user");
        dspam.close();
        assertThatThrownBy(() -> check(dspam.yaml()).train(unsigned, "bob", Lesson.HAM, false)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("DSPAM: DSPAM at 127.0.0.1:" + port() + ": cannot connect: ");
    }
}
