package org.decency.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.decency.cli.DefenderRunner;
import org.decency.cli.RunningServer;
import org.decency.it.Swaks.Mail;
import org.decency.it.Swaks.Session;
import org.decency.testkit.TestClamd;
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
 * The Defender as Postfix's before-queue proxy: the public smtpd has
 * {@code smtpd_proxy_filter = 127.0.0.1:PORT}, the Defender ({@code mode: prequeue})
 * passes accepted mail on to a Postfix listener without filters, which relays it to an
 * SMTP sink. Mail sent with swaks (XCLIENT gives each test its own client address) is
 * checked while the client waits: the Doorman's CBL at RCPT, MimeAttribs and a real clamd
 * (our own EICAR signature) at the end of DATA, whose reply Postfix passes on. Every mail
 * is counted at the sink.
 *
 * <p>Needs postfix, swaks and clamd installed and root (to start Postfix); fails, never
 * skips, without them. A failure shows the end of Postfix's maillog.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DefenderProxyThroughPostfixIT {

    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    static SmtpSink sink;
    static TestClamd clamd;
    static RunningServer defender;
    static PostfixInstance postfix;
    static int reinjectPort;

    @RegisterExtension
    static final TestExecutionExceptionHandler SHOW_MAILLOG = MaillogOnFailure.of(() -> postfix, 60);

    @BeforeAll
    static void startMailSystem() throws IOException {
        Commands.require("postfix", "postconf", "swaks", "script");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        sink = SmtpSink.start();
        clamd = TestClamd.start(Files.createDirectories(dir.resolve("clamd")));
        reinjectPort = PostfixInstance.freeLoopbackPort();
        defender = DefenderRunner.start(Files.writeString(dir.resolve("defender.yml"), """
                mode: prequeue
                server: {host: 127.0.0.1, port: 0, instances: 4}
                database: {path: decency.db}
                detective_spam_reply: "SPAM detected"
                detective_virus_reply: "Virus detected"
                doorman:
                  modules:
                    - CBL: {ips: {"*": [192.0.2.66]}, reject_message: "Blacklisted by the integration test"}
                detective:
                  spool_dir: spool
                  no_session_identifier: 1
                  reinject: {host: 127.0.0.1, port: %d, timeout: 20s}
                  spam: {behavior: scoring, threshold: -50, handle: bounce, noisy_headers: 1}
                  virus: {handle: bounce}
                  modules:
                    - ClamAV: {host: 127.0.0.1, port: %d}
                    - MimeAttribs: {}
                """.formatted(reinjectPort, clamd.port())));
        postfix = PostfixInstance.start(dir.resolve("postfix"), PostfixInstance.Settings.proxy(sink.port(),
                List.of("it.example"), defender.port(), reinjectPort));
    }

    /** The senders of the mails a test had delivered; nothing else may reach the sink, nothing twice. */
    static final java.util.Set<String> DELIVERED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @AfterAll
    static void stopMailSystem() throws InterruptedException {
        try {
            if (sink != null) {
                Thread.sleep(2000); // what Postfix still had in its queue
                List<String> senders = sink.received().stream().map(SmtpSink.Message::from).toList();
                assertThat(senders).as("every mail at the sink").containsExactlyInAnyOrderElementsOf(DELIVERED);
            }
        } finally {
            stopAll();
        }
    }

    private static void stopAll() {
        Stopping.inOrder(postfix, defender, clamd, sink);
    }

    @Test
    void a_blacklisted_client_is_refused_at_RCPT_with_the_Doormans_text() {
        Mail mail = new Mail("192.0.2.66", "listed.example.net", "someone@sender.example", "bob@it.example");
        Session s = Swaks.send(postfix.smtpPort(), mail);

        assertThat(s.replyTo("MAIL FROM:")).as("MAIL\n%s", s).startsWith("250 ");
        assertThat(s.rcptReply()).as("RCPT reply\n%s", s).startsWith("554 5.7.1 Blacklisted by the integration test [");
        assertThat(s.endOfDataReply()).as("no data after the refusal\n%s", s).isEmpty();
        // Postfix passes the proxy's refusal to its client and logs it as a warning about the proxy
        assertThat(postfix.maillog()).contains("rejected \"RCPT TO:<bob@it.example>\": \"554 5.7.1 Blacklisted by the integration test [");
        assertThat(sink.received()).noneMatch(m -> m.from().equals(mail.from()));
    }

    @Test
    void spam_is_refused_at_the_end_of_DATA_with_the_spam_reply_and_never_queued() throws IOException {
        Mail mail = new Mail("198.51.100.20", "mx.spam.example", "mallory@spam.example", "carol@it.example");
        Session s = Swaks.send(postfix.smtpPort(), mail, message("your invoice", "invoice.exe",
                Base64.getMimeEncoder().encodeToString("MZ this is no program".getBytes(StandardCharsets.US_ASCII))));

        assertThat(s.rcptReply()).as("RCPT\n%s", s).startsWith("250 ");
        assertThat(s.endOfDataReply()).as("end of data\n%s", s).isEqualTo("554 5.7.1 SPAM detected");
        assertThat(sink.received()).noneMatch(m -> m.from().equals(mail.from()));
    }

    @Test
    void a_virus_is_refused_at_the_end_of_DATA_with_the_virus_reply() throws IOException {
        Mail mail = new Mail("198.51.100.21", "mx.virus.example", "worm@virus.example", "dave@it.example");
        Session s = Swaks.send(postfix.smtpPort(), mail, message("minutes", "minutes.txt",
                Base64.getMimeEncoder().encodeToString(TestClamd.EICAR.getBytes(StandardCharsets.US_ASCII))));

        assertThat(s.endOfDataReply()).as("end of data\n%s", s).isEqualTo("554 5.7.1 Virus detected");
        assertThat(sink.received()).noneMatch(m -> m.from().equals(mail.from()));
    }

    @Test
    void ham_is_delivered_once_with_the_X_Decency_headers_and_the_client_as_XFORWARD_named_it() throws Exception {
        Mail mail = new Mail("198.51.100.7", "mail.friend.example", "alice@friend.example", "erin@it.example");
        Path data = dir.resolve("ham.eml");
        Files.writeString(data, "From: Alice <alice@friend.example>\r\nTo: <erin@it.example>\r\nSubject: lunch\r\n"
                + "X-Decency-Result: GOOD (forged)\r\nMessage-ID: <ham1@friend.example>\r\n\r\nSee you at noon.\r\n");
        Session s = Swaks.send(postfix.smtpPort(), mail, data);

        // Postfix tells its client what the proxy said: the proxy's 250 came after the reinjection listener's
        assertThat(s.endOfDataReply()).as("end of data\n%s", s).startsWith("250 2.0.0 Ok: delivered to 127.0.0.1:" + reinjectPort + " as ");
        List<SmtpSink.Message> got = sink.awaitFrom(mail.from(), 1, DELIVERY_TIMEOUT);
        assertThat(got).as("delivered (all received: %s)", sink.received()).hasSize(1);
        DELIVERED.add(mail.from());
        SmtpSink.Message delivered = got.getFirst();
        assertThat(delivered.recipients()).containsExactly(mail.to());
        assertThat(delivered.header("X-Decency-Result")).as(delivered.data()).hasValue("GOOD");
        assertThat(delivered.header("X-Decency-Score")).hasValue("0");
        assertThat(delivered.header("X-Decency-Details")).hasValueSatisfying(d -> assertThat(d).contains("CBL=0", "ClamAV=0",
                "MimeAttribs=0"));
        assertThat(delivered.data()).doesNotContain("GOOD (forged)").contains("Subject: lunch\r\n").contains("See you at noon.");
        // the reinjection listener knows the original client: XFORWARD came from Postfix to the proxy and went on with the mail
        String queueId = s.endOfDataReply().replaceFirst(".* as ", "").strip();
        assertThat(postfix.maillog()).contains(queueId + ": client=unknown[127.0.0.1], orig_client=mail.friend.example[198.51.100.7]");
        assertThat(delivered.data()).as("Postfix's own Received: field, passed through the proxy")
                .contains("Received: from mail.friend.example (mail.friend.example [198.51.100.7])");
        Thread.sleep(1000); // a second copy would be there by now
        assertThat(sink.received().stream().filter(m -> m.from().equals(mail.from()))).as("delivered exactly once").hasSize(1);
    }

    @Test
    void with_the_reinjection_listener_down_the_client_hears_4xx_and_keeps_the_mail() throws Exception {
        Mail mail = new Mail("198.51.100.9", "mail.later.example", "frank@later.example", "grace@it.example");
        postfix.reinjectListener(false, reinjectPort);
        try {
            Session s = Swaks.send(postfix.smtpPort(), mail);
            assertThat(s.endOfDataReply()).as("end of data\n%s", s).startsWith("451 4.4.1 Next hop unavailable");
        } finally {
            postfix.reinjectListener(true, reinjectPort);
        }
        Session again = Swaks.send(postfix.smtpPort(), mail);
        assertThat(again.endOfDataReply()).as("sent again\n%s", again).startsWith("250 ");
        assertThat(sink.awaitFrom(mail.from(), 1, DELIVERY_TIMEOUT)).hasSize(1);
        DELIVERED.add(mail.from());
        Thread.sleep(1000);
        assertThat(sink.received().stream().filter(m -> m.from().equals(mail.from()))).as("the refused try left nothing").hasSize(1);
    }

    /** A mail with one attachment of this name and base64 content. */
    private static Path message(String subject, String filename, String base64) throws IOException {
        Path p = dir.resolve(filename + ".eml");
        Files.writeString(p, "From: <sender@example.com>\r\nTo: <rcpt@it.example>\r\nSubject: " + subject + "\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                + "--b1\r\nContent-Type: application/octet-stream; name=\"" + filename + "\"\r\n"
                + "Content-Disposition: attachment; filename=\"" + filename + "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + base64 + "\r\n--b1--\r\n");
        return p;
    }
}
