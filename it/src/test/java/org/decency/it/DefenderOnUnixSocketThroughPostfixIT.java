package org.decency.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.decency.cli.DefenderRunner;
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
 * The Defender on a unix-domain socket behind a real Postfix ({@code smtpd_milters =
 * unix:/path}): Postfix's smtpd (running as the postfix user) connects to the socket file
 * the Defender made, and the milter session works as over TCP: the Doorman refuses at RCPT,
 * accepted mail reaches the sink with the header edits applied.
 *
 * <p>Needs postfix and swaks installed and root (to start Postfix); fails, never skips,
 * without them.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DefenderOnUnixSocketThroughPostfixIT {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    static SmtpSink sink;
    static RunningServer defender;
    static PostfixInstance postfix;
    static Path socket;

    @RegisterExtension
    static final TestExecutionExceptionHandler SHOW_MAILLOG = MaillogOnFailure.of(() -> postfix, 60);

    @BeforeAll
    static void startMailSystem() throws IOException {
        Commands.require("postfix", "postconf", "swaks", "script");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        sink = SmtpSink.start();
        socket = dir.resolve("run/defender.sock");
        defender = DefenderRunner.start(Files.writeString(dir.resolve("defender.yml"), """
                server: {socket: run/defender.sock, instances: 4}
                database: {path: decency.db}
                doorman:
                  modules:
                    - CBL: {ips: {"*": [192.0.2.66]}, reject_message: "Blacklisted by the integration test"}
                detective:
                  spool_dir: spool
                  no_session_identifier: 1
                  spam: {behavior: scoring, threshold: -50, handle: bounce, noisy_headers: 1}
                  modules:
                    - MimeAttribs: {}
                """));
        postfix = PostfixInstance.start(dir.resolve("postfix"), PostfixInstance.Settings.milter(sink.port(), List.of("it.example"), socket));
    }

    @AfterAll
    static void stopMailSystem() {
        Stopping.inOrder(postfix, defender, sink);
        if (socket != null) assertThat(socket).as("the socket file goes with the Defender").doesNotExist();
    }

    @Test
    void a_blacklisted_client_is_refused_at_RCPT() {
        Session s = Swaks.send(postfix.smtpPort(), new Mail("192.0.2.66", "listed.example.net", "someone@sender.example", "bob@it.example"));

        assertThat(s.rcptReply()).as("RCPT reply\n%s", s).startsWith("554 5.7.1 Blacklisted by the integration test [");
        assertThat(postfix.maillog()).contains("milter-reject: RCPT from listed.example.net[192.0.2.66]");
    }

    @Test
    void ham_is_delivered_with_the_X_Decency_headers() throws Exception {
        Mail mail = new Mail("198.51.100.7", "mail.friend.example", "alice@friend.example", "erin@it.example");
        var decisions = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        var decisionLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("decency.decision");
        decisions.start();
        decisionLog.addAppender(decisions);
        Session s;
        try {
            s = Swaks.send(postfix.smtpPort(), mail, Files.writeString(dir.resolve("ham.eml"),
                    "From: Alice <alice@friend.example>\r\nTo: <erin@it.example>\r\nSubject: lunch\r\n\r\nSee you at noon.\r\n"));
        } finally {
            decisionLog.detachAppender(decisions);
        }
        // the queue id comes as the macro i, which the Defender asked Postfix for in the option negotiation
        String line = decisions.list.stream().map(e -> e.getFormattedMessage()).filter(l -> l.contains("stage=MESSAGE")).findFirst()
                .orElseThrow(() -> new AssertionError("no decision at the end of the data: " + decisions.list));
        var queueId = java.util.regex.Pattern.compile("queue_id=([0-9A-F]{6,})").matcher(line);
        assertThat(queueId.find()).as(line).isTrue();
        assertThat(postfix.maillog()).contains(queueId.group(1) + ": from=<alice@friend.example>");

        assertThat(s.endOfDataReply()).as("end of data\n%s", s).startsWith("250 ");
        List<SmtpSink.Message> got = sink.awaitFrom(mail.from(), 1, Duration.ofSeconds(30));
        assertThat(got).as("delivered (all received: %s)", sink.received()).hasSize(1);
        assertThat(got.getFirst().header("X-Decency-Result")).as(got.getFirst().data()).hasValue("GOOD");
        assertThat(got.getFirst().header("X-Decency-Details")).hasValueSatisfying(d -> assertThat(d).contains("CBL=0", "MimeAttribs=0"));
        assertThat(postfix.maillog()).doesNotContain("connect to Milter service");
    }
}
