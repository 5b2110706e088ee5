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
 * The Defender behind a real Postfix: {@code smtpd_milters = inet:127.0.0.1:PORT},
 * {@code milter_protocol = 6}. Mail sent with swaks (XCLIENT gives each test its own
 * client address) is checked in the SMTP session: the Doorman's CBL at RCPT, MimeAttribs
 * and a real clamd (our own EICAR signature) at the end of DATA; accepted mail reaches an
 * SMTP sink with the Defender's header edits applied by Postfix.
 *
 * <p>Needs postfix, swaks and clamd installed and root (to start Postfix); fails, never
 * skips, without them. A failure shows the end of Postfix's maillog.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DefenderThroughPostfixIT {

    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    static SmtpSink sink;
    static TestClamd clamd;
    static RunningServer defender;
    static PostfixInstance postfix;

    @RegisterExtension
    static final TestExecutionExceptionHandler SHOW_MAILLOG = MaillogOnFailure.of(() -> postfix, 60);

    @BeforeAll
    static void startMailSystem() throws IOException {
        Commands.require("postfix", "postconf", "swaks", "script");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        sink = SmtpSink.start();
        clamd = TestClamd.start(Files.createDirectories(dir.resolve("clamd")));
        defender = DefenderRunner.start(Files.writeString(dir.resolve("defender.yml"), """
                server: {host: 127.0.0.1, port: 0, instances: 4}
                database: {path: decency.db}
                metrics: {listen: 127.0.0.1:0}
                detective_spam_reply: "SPAM detected"
                detective_virus_reply: "Virus detected"
                doorman:
                  modules:
                    - CBL: {ips: {"*": [192.0.2.66]}, reject_message: "Blacklisted by the integration test"}
                detective:
                  spool_dir: spool
                  no_session_identifier: 1
                  spam: {behavior: scoring, threshold: -50, handle: bounce, noisy_headers: 1}
                  virus: {handle: bounce}
                  modules:
                    - ClamAV: {host: 127.0.0.1, port: %d}
                    - MimeAttribs: {}
                """.formatted(clamd.port())));
        postfix = PostfixInstance.start(dir.resolve("postfix"), PostfixInstance.Settings.milter(sink.port(),
                List.of("it.example"), defender.port()));
    }

    @AfterAll
    static void stopMailSystem() {
        Stopping.inOrder(postfix, defender, clamd, sink);
    }

    @Test
    void a_blacklisted_client_is_refused_at_RCPT_with_the_Doormans_text() {
        Session s = Swaks.send(postfix.smtpPort(), new Mail("192.0.2.66", "listed.example.net", "someone@sender.example", "bob@it.example"));

        assertThat(s.rcptReply()).as("RCPT reply\n%s", s).startsWith("554 5.7.1 Blacklisted by the integration test [");
        assertThat(s.endOfDataReply()).as("no data after the refusal\n%s", s).isEmpty();
        assertThat(postfix.maillog()).contains("milter-reject: RCPT from listed.example.net[192.0.2.66]");
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
    void ham_is_delivered_with_the_X_Decency_headers_and_a_forged_one_removed() throws Exception {
        Mail mail = new Mail("198.51.100.7", "mail.friend.example", "alice@friend.example", "erin@it.example");
        Path data = dir.resolve("ham.eml");
        Files.writeString(data, "From: Alice <alice@friend.example>\r\nTo: <erin@it.example>\r\nSubject: lunch\r\n"
                + "X-Decency-Result: GOOD (forged)\r\nMessage-ID: <ham1@friend.example>\r\n\r\nSee you at noon.\r\n");
        Session s = Swaks.send(postfix.smtpPort(), mail, data);

        assertThat(s.endOfDataReply()).as("end of data\n%s", s).startsWith("250 ");
        List<SmtpSink.Message> got = sink.awaitFrom(mail.from(), 1, DELIVERY_TIMEOUT);
        assertThat(got).as("delivered (all received: %s)", sink.received()).hasSize(1);
        SmtpSink.Message delivered = got.getFirst();
        assertThat(delivered.header("X-Decency-Result")).as(delivered.data()).hasValue("GOOD");
        assertThat(delivered.header("X-Decency-Score")).hasValue("0");
        assertThat(delivered.header("X-Decency-Details")).hasValueSatisfying(d -> assertThat(d).contains("CBL=0", "ClamAV=0",
                "MimeAttribs=0"));
        assertThat(delivered.data()).doesNotContain("GOOD (forged)").contains("Subject: lunch\r\n").contains("See you at noon.")
                .as("one space after the colon, as Postfix writes the fields a milter adds").contains("\r\nX-Decency-Result: GOOD\r\n");
    }

    @Test
    void the_metrics_endpoint_counts_the_Defenders_decisions_and_both_sections_checks() throws Exception {
        String before = scrape();
        Swaks.send(postfix.smtpPort(), new Mail("192.0.2.66", "again.example.net", "other@sender.example", "bob@it.example"));
        Mail ham = new Mail("198.51.100.8", "mail.friend.example", "frank@friend.example", "erin@it.example");
        Session s = Swaks.send(postfix.smtpPort(), ham, Files.writeString(dir.resolve("counted.eml"),
                "From: <frank@friend.example>\r\nTo: <erin@it.example>\r\nSubject: counted\r\n\r\nHello.\r\n"));
        assertThat(s.endOfDataReply()).as("end of data\n%s", s).startsWith("250 ");
        String after = scrape();

        assertThat(delta(before, after, "decency_decisions_total", "server=\"defender\"", "action=\"reject\""))
                .as("the CBL's refusal at RCPT\n%s", after).isEqualTo(1);
        assertThat(delta(before, after, "decency_decisions_total", "action=\"deliver/good\"")).isEqualTo(1);
        assertThat(delta(before, after, "decency_check_duration_seconds_count", "check=\"CBL\"")).as("asked at both RCPTs").isEqualTo(2);
        assertThat(delta(before, after, "decency_check_duration_seconds_count", "check=\"MimeAttribs\"")).isEqualTo(1);
        assertThat(defender.services().maintenance().tasks()).extracting(t -> t.name()).anyMatch(n -> n.startsWith("expired@"));
    }

    private static String scrape() throws Exception {
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + defender.metricsPort() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** How much the series {@code name} with these label texts grew between the scrapes (0 where it was absent). */
    private static double delta(String before, String after, String name, String... labels) {
        return sum(after, name, labels) - sum(before, name, labels);
    }

    private static double sum(String scrape, String name, String... labels) {
        double total = 0;
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(name + "{")) continue;
            if (java.util.Arrays.stream(labels).allMatch(line::contains)) total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return total;
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
