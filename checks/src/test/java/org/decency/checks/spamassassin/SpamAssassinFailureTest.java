package org.decency.checks.spamassassin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.decency.checks.spamassassin.SpamAssassinTesting.GTUBE;
import static org.decency.checks.spamassassin.SpamAssassinTesting.HAM;
import static org.decency.checks.spamassassin.SpamAssassinTesting.check;
import static org.decency.checks.spamassassin.SpamAssassinTesting.tx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.Action;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.pipeline.Pipeline;
import org.decency.pipeline.PipelineBuilder;
import org.decency.testkit.LocalDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What happens when spamd is down, late, deaf or talks nonsense: always the on_failure
 * path (skip: 0 and "skipped: ..."; tempfail: DEFER), within the timeout, never an
 * exception out of the check.
 */
class SpamAssassinFailureTest {
    @TempDir
    Path dir;

    static String at(int port, String more) {
        return "host: 127.0.0.1\nport: " + port + "\n" + more;
    }

    static void assertSkipped(Outcome o, String detail) {
        assertThat(o.scores()).hasSize(1);
        assertThat(o.scores().getFirst().delta()).isZero();
        assertThat(o.scores().getFirst().detail()).isEqualTo(detail);
        assertThat(o.finalWord()).isNull();
        assertThat(o.flags()).isEmpty();
        assertThat(o.temporary()).isTrue();
    }

    @Test
    void spamdDownIsSkippedByDefault() {
        int port = LocalDaemon.freeLoopbackPort();

        Outcome o = check(dir, at(port, "")).evaluate(tx(dir, GTUBE), new Evaluation(-100));

        assertSkipped(o, "skipped: spamd 127.0.0.1:" + port + ": connection refused");
    }

    @Test
    void spamdDownDefersTheMailWithTempfail() {
        int port = LocalDaemon.freeLoopbackPort();

        Outcome o = check(dir, at(port, "on_failure: tempfail\n")).evaluate(tx(dir, GTUBE), new Evaluation(-100));

        assertThat(o.finalWord().action()).isEqualTo(Action.DEFER);
        assertThat(o.finalWord().text()).isEqualTo("4.3.0 SpamAssassin is not available, try again later");
        assertThat(o.scores().getFirst().delta()).isZero();
        assertThat(o.scores().getFirst().detail()).isEqualTo("failed: spamd 127.0.0.1:" + port + ": connection refused");
        assertThat(o.temporary()).isTrue();
    }

    @Test
    void aMissingUnixSocketIsSkipped() {
        Path socket = dir.resolve("no-spamd.sock");

        Outcome o = check(dir, "socket: " + socket + "\n").evaluate(tx(dir, HAM), new Evaluation(-100));

        assertThat(o.scores().getFirst().detail()).startsWith("skipped: spamd " + socket + ": ");
        assertThat(o.temporary()).isTrue();
    }

    @Test
    void aSpamdThatNeverAnswersCostsTheTimeoutAndNoMore() {
        try (FakeSpamd silent = FakeSpamd.silent()) {
            SpamAssassinCheck check = check(dir, at(silent.port(), "timeout: 1s\n"));

            long t0 = System.nanoTime();
            Outcome o = check.evaluate(tx(dir, HAM), new Evaluation(-100));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            assertSkipped(o, "skipped: spamd 127.0.0.1:" + silent.port() + ": no answer within 1s");
            assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofMillis(2500));
            assertThat(silent.requests()).hasSize(1);
        }
    }

    @Test
    void aSpamdThatNeverReadsCostsTheTimeoutToo() throws IOException {
        // 20 MB do not fit into the socket buffers: the sending blocks until the watchdog closes the connection
        String big = HAM + "x".repeat(76).concat("\n").repeat(20 * 1024 * 1024 / 77);
        try (FakeSpamd deaf = FakeSpamd.deaf()) {
            SpamAssassinCheck check = check(dir, at(deaf.port(), "timeout: 1s\nmax_size: 0\n"));
            Transaction mail = tx(dir, big);

            long t0 = System.nanoTime();
            Outcome o = check.evaluate(mail, new Evaluation(-100));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            assertSkipped(o, "skipped: spamd 127.0.0.1:" + deaf.port() + ": no answer within 1s");
            assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofMillis(2500));
        }
    }

    @Test
    void theRequestIsSymbolsWithTheMailsLengthAndUser() {
        try (FakeSpamd fake = FakeSpamd.answering("SPAMD/1.1 0 EX_OK\r\nContent-length: 5\r\nSpam: True ; 1000.0 / 5.0\r\n\r\nGTUBE")) {
            Transaction mail = tx(dir, GTUBE);

            Outcome o = check(dir, at(fake.port(), "default_user: carol\n")).evaluate(mail, new Evaluation(-100));

            assertThat(o.scores().getFirst().detail()).isEqualTo("Status: Yes, score=1000.0 required=5.0 tests=GTUBE");
            assertThat(fake.requests()).containsExactly("SYMBOLS SPAMC/1.5\r\nContent-length: " + mail.message().size() + "\r\nUser: carol");
        }
    }

    @Test
    void aUserWithControlCharactersIsNotSent() {
        try (FakeSpamd fake = FakeSpamd.answering("SPAMD/1.1 0 EX_OK\r\nSpam: False ; 0.0 / 5.0\r\n\r\n")) {
            Outcome o = check(dir, at(fake.port(), "default_user: \"bob\\r\\nSet: local\"\n"))
                    .evaluate(tx(dir, HAM), new Evaluation(-100));

            assertThat(o.scores().getFirst().detail()).startsWith("skipped: spamd 127.0.0.1:" + fake.port() + ": the User header would have control characters");
            assertThat(fake.requests()).isEmpty();
        }
    }

    static String headers(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append("X-A").append(i).append(": b\r\n");
        return b.toString();
    }

    static Stream<Arguments> brokenAnswers() {
        return Stream.of(
                Arguments.of("", "spamd closed the connection without an answer"),
                Arguments.of("HTTP/1.1 200 OK\r\n\r\n", "not a spamd answer: \"HTTP/1.1 200 OK\""),
                Arguments.of("\0\1\2\u00ff\r\n", "not a spamd answer: \"???\ufffd\""),
                Arguments.of("SPAMD/1.0 76 Bad header line: (Content-Length mismatch)\r\n", "spamd answered 76 Bad header line: (Content-Length mismatch)"),
                Arguments.of("SPAMD/1.1 0 EX_OK\r\nContent-length: 5\r\n\r\nGTUBE", "spamd's answer has no Spam: header"),
                Arguments.of("SPAMD/1.1 0 EX_OK\r\nSpam: Maybe ; 7.0 / 5.0\r\n\r\n", "spamd's answer has a bad Spam: header: \"Maybe ; 7.0 / 5.0\""),
                Arguments.of("SPAMD/1.1 0 EX_OK\r\nSpam: True ; NaN / 5.0\r\n\r\n", "spamd's answer has a bad Spam: header: \"True ; NaN / 5.0\""),
                Arguments.of("SPAMD/1.1 0 EX_OK\r\nSpam: True ; 1e308 / 5.0\r\n\r\n", "spamd's answer has a bad Spam: header: \"True ; 1e308 / 5.0\""),
                Arguments.of("SPAMD/1.1 0 EX_OK\r\nSpam: True ; 7.0 / 5.0\r\nSpam: False ; 0.0 / 5.0\r\n\r\n", "spamd's answer has the header Spam twice"),
                Arguments.of("SPAMD/1.1 0 EX_OK\r\nno colon here\r\n\r\n", "spamd's answer has a bad header line: \"no colon here\""),
                Arguments.of("SPAMD/1.1 0 EX_OK\r\nSpam: True ; 7.0 / 5.0", "spamd's answer was cut short in a header line"),
                Arguments.of("SPAMD/1.1 0 EX_OK\r\nX: " + "A".repeat(9000) + "\r\n\r\n", "spamd's answer has a line longer than 8192 bytes"),
                Arguments.of("SPAMD/1.1 0 EX_OK\r\n" + headers(101) + "\r\n", "spamd's answer has more than 100 header lines"),
                Arguments.of("SPAMD/1.1 0 EX_OK\r\nContent-length: 100\r\nSpam: True ; 7.0 / 5.0\r\n\r\nGTUBE", "spamd's answer was cut short: 5 of 100 bytes"),
                Arguments.of("SPAMD/1.1 0 EX_OK\r\nContent-length: 9999999999\r\nSpam: True ; 7.0 / 5.0\r\n\r\n", "spamd's answer announces 9999999999 bytes, more than 262144"),
                Arguments.of("SPAMD/1.1 0 EX_OK\r\nContent-length: -1\r\nSpam: True ; 7.0 / 5.0\r\n\r\n", "spamd's answer has a bad Content-length: \"-1\""),
                Arguments.of("SPAMD/1.1 0 EX_OK\r\nSpam: True ; 7.0 / 5.0\r\n\r\n" + "x".repeat(300 * 1024), "spamd's answer is longer than 262144 bytes"),
                Arguments.of("SPAMD/1.1 0 EX_OK\r\nSpam: True ; 7.0 / 5.0\r\n\r\nGTUBE,<script>alert(1)</script>",
                        "spamd's answer to SYMBOLS is not a list of rules: \"<script>alert(1)</script>\""));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("brokenAnswers")
    void aBrokenAnswerIsAFailureNeverAnException(String answer, String why) {
        try (FakeSpamd fake = FakeSpamd.answering(answer)) {
            Outcome o = check(dir, at(fake.port(), "timeout: 5s\n")).evaluate(tx(dir, GTUBE), new Evaluation(-100));

            assertSkipped(o, "skipped: spamd 127.0.0.1:" + fake.port() + ": " + why);
        }
    }

    @Test
    void thePipelineLoadsTheModuleByNameAndItsTimeoutDefersWithTempfail() throws IOException {
        try (FakeSpamd silent = FakeSpamd.silent(); ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor()) {
            Path config = Files.writeString(dir.resolve("detective.yml"), """
                    weight_threshold: -150
                    modules:
                      - SpamAssassin: {host: 127.0.0.1, port: %d, timeout: 1s, on_failure: tempfail}
                    """.formatted(silent.port()));
            ConfigNode root = ConfigLoader.load(config);
            Pipeline pipeline = new PipelineBuilder().build(root, SpamAssassinTesting.env(dir), blocking).pipeline();
            root.finish();

            long t0 = System.nanoTime();
            Verdict v = pipeline.run(tx(dir, HAM));

            assertThat(v.action()).isEqualTo(Action.DEFER);
            assertThat(v.text()).contains("4.3.0 SpamAssassin is not available, try again later");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2500));
        }
    }
}
