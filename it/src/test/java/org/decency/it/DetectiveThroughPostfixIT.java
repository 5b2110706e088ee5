package org.decency.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.decency.cli.DetectiveRunner;
import org.decency.cli.RunningServer;
import org.decency.it.Swaks.Mail;
import org.decency.it.Swaks.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Detective behind a real Postfix wired as the seeds' main.cf/master.cf describe:
 * {@code content_filter = decency:[127.0.0.1]:PORT}, the {@code decency} SMTP transport
 * with XFORWARD and one recipient per delivery, and a reinjection smtpd without filters,
 * which relays to an SMTP sink. Every mail sent is counted at the sink.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DetectiveThroughPostfixIT {
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    static SmtpSink sink;
    static RunningServer detective;
    static PostfixInstance postfix;
    static int reinjectPort;

    @RegisterExtension
    static final TestExecutionExceptionHandler SHOW_MAILLOG = (context, failure) -> {
        if (postfix == null) throw failure;
        String what = failure instanceof AssertionError ? failure.getMessage() : failure.toString();
        AssertionError withLog = new AssertionError(what + "\n\n" + postfix.maillogTail(80));
        withLog.setStackTrace(failure.getStackTrace());
        throw withLog;
    };

    @BeforeAll
    static void startMailSystem() throws IOException {
        Commands.require("postfix", "postconf", "postqueue", "swaks", "script");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        sink = SmtpSink.start();
        reinjectPort = PostfixInstance.freeLoopbackPort();
        detective = DetectiveRunner.start(Files.writeString(dir.resolve("detective.yml"), """
                server: {host: 127.0.0.1, port: 0, instances: 8}
                spool_dir: spool
                reinject: {host: 127.0.0.1, port: %d}
                database: {path: decency.db}
                spam: {behavior: scoring, threshold: -50, handle: tag, subject_prefix: "[SPAM]", noisy_headers: 1}
                modules: []
                """.formatted(reinjectPort)));
        postfix = PostfixInstance.start(dir.resolve("postfix"), new PostfixInstance.Settings(
                sink.port(), 0, List.of("detective.example"), detective.port(), reinjectPort));
    }

    @AfterAll
    static void stopMailSystem() {
        try {
            if (postfix != null) postfix.close();
        } finally {
            try {
                if (detective != null) detective.close();
            } finally {
                if (sink != null) sink.close();
            }
        }
    }

    @Test
    void a_good_mail_passes_through_the_Detective_and_arrives_with_its_headers() throws Exception {
        Mail mail = new Mail("192.0.2.20", "good.example.net", "alice@good.example.net", "bob@detective.example");

        Session s = Swaks.send(postfix.smtpPort(), mail);

        assertThat(s.endOfDataReply()).as("Postfix took the mail\n%s", s).startsWith("250 ");
        SmtpSink.Message delivered = deliveredFrom(mail.from(), 1).getFirst();
        assertThat(delivered.recipients()).containsExactly(mail.to());
        assertThat(delivered.header("X-Decency-Result")).contains("GOOD");
        assertThat(delivered.header("X-Decency-Score")).contains("0");
        assertThat(delivered.data()).contains("Hello from the integration test.");
        assertThat(postfix.maillog()).as("the mail went through the decency transport and back")
                .contains("relay=127.0.0.1[127.0.0.1]:" + detective.port());
    }

    @Test
    void when_the_reinjection_listener_is_down_Postfix_keeps_the_mail_and_delivers_it_once_it_is_back() throws Exception {
        Mail mail = new Mail("192.0.2.21", "patient.example.net", "carol@patient.example.net", "dave@detective.example");
        postfix.reinjectListener(false, reinjectPort);
        try {
            Session s = Swaks.send(postfix.smtpPort(), mail);
            assertThat(s.endOfDataReply()).as("Postfix queued the mail\n%s", s).startsWith("250 ");
            awaitMaillog("status=deferred", DELIVERY_TIMEOUT);
            assertThat(sink.received()).as("nothing delivered while the listener is down")
                    .noneMatch(m -> m.from().equals(mail.from()));
        } finally {
            postfix.reinjectListener(true, reinjectPort);
        }
        postfix.flushQueue();

        assertThat(deliveredFrom(mail.from(), 1)).hasSize(1);
        Thread.sleep(1000);
        assertThat(sink.received().stream().filter(m -> m.from().equals(mail.from()))).as("exactly once").hasSize(1);
    }

    private static void awaitMaillog(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (postfix.maillog().contains(text)) return;
            Thread.sleep(100);
        }
        throw new AssertionError("the maillog never said \"" + text + "\" within " + timeout.toSeconds() + "s");
    }

    private static List<SmtpSink.Message> deliveredFrom(String sender, int count) throws InterruptedException {
        List<SmtpSink.Message> got = sink.awaitFrom(sender, count, DELIVERY_TIMEOUT);
        assertThat(got).as("mails from %s at the sink within %ss (all: %s)", sender, DELIVERY_TIMEOUT.toSeconds(),
                sink.received()).hasSize(count);
        return got;
    }
}
