package org.decency.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.decency.it.Swaks.Mail;
import org.decency.it.Swaks.Session;
import org.decency.testkit.FileSamples;
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
 * The Detective behind a real Postfix wired as the seeds' main.cf/master.cf describe (see
 * {@link ContentFilterSystem}), with MimeAttribs as its content rules. Every mail sent is
 * counted at the sink.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DetectiveThroughPostfixIT {
    private static final String REFUSED_TEXT = "Programs are not accepted here";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    static ContentFilterSystem mx;

    @RegisterExtension
    static final TestExecutionExceptionHandler SHOW_MAILLOG = MaillogOnFailure.of(() -> mx == null ? null : mx.postfix, 80);

    @BeforeAll
    static void startMailSystem() throws IOException {
        mx = ContentFilterSystem.start(dir, detective("tag"));
    }

    @AfterAll
    static void stopMailSystem() {
        if (mx != null) mx.close();
    }

    /**
     * MimeAttribs as the content rules: a program disguised as a picture scores -60 (spam at
     * the threshold of -50, handled as {@code spamHandle} says), an attachment named like a
     * program is refused, an encrypted archive is quarantined.
     */
    private static ContentFilterSystem.DetectiveConfig detective(String spamHandle) {
        return (port, reinject) -> """
                server: {host: 127.0.0.1, port: %d, instances: 8}
                spool_dir: spool
                reinject: {host: 127.0.0.1, port: %d}
                database: {path: decency.db}
                spam: {behavior: scoring, threshold: -50, handle: %s, subject_prefix: "[SPAM]", noisy_headers: 1}
                modules:
                  - MimeAttribs:
                      type_mismatch: -60
                      bad_extension: {score: -100, action: reject, message: "%s"}
                      double_extension: 0
                      encrypted_archive: {score: -10, action: quarantine}
                """.formatted(port, reinject, spamHandle, REFUSED_TEXT);
    }

    @Test
    void a_good_mail_passes_through_the_Detective_and_arrives_with_its_headers() throws Exception {
        Mail mail = new Mail("192.0.2.20", "good.example.net", "alice@good.example.net", "bob@detective.example");

        Session s = Swaks.send(mx.postfix.smtpPort(), mail);

        assertThat(s.endOfDataReply()).as("Postfix took the mail\n%s", s).startsWith("250 ");
        SmtpSink.Message delivered = mx.deliveredFrom(mail.from(), 1).getFirst();
        assertThat(delivered.recipients()).containsExactly(mail.to());
        assertThat(delivered.header("X-Decency-Result")).contains("GOOD");
        assertThat(delivered.header("X-Decency-Score")).contains("0");
        assertThat(delivered.data()).contains("Hello from the integration test.");
        mx.assertNoMoreFrom(mail.from(), 1);
        assertThat(mx.postfix.maillog()).as("the mail went through the decency transport and back")
                .contains("relay=127.0.0.1[127.0.0.1]:" + mx.detectivePort);
    }

    @Test
    void spam_by_a_content_rule_is_delivered_tagged_when_spam_handle_is_tag() throws Exception {
        Mail mail = new Mail("192.0.2.22", "tagged.example.net", "erin@tagged.example.net", "frank@detective.example");

        Session s = mx.send(mail, mx.message("holiday", "Hello.", ContentFilterSystem.attachment("photo.jpg", "image/jpeg", FileSamples.pe())));

        assertThat(s.endOfDataReply()).as("Postfix took the mail\n%s", s).startsWith("250 ");
        SmtpSink.Message delivered = mx.deliveredFrom(mail.from(), 1).getFirst();
        assertThat(delivered.recipients()).containsExactly(mail.to());
        assertThat(delivered.header("X-Decency-Result")).contains("SPAM");
        assertThat(delivered.header("X-Decency-Score")).contains("-60");
        assertThat(delivered.header("X-Decency-SpamInfo")).hasValueSatisfying(v -> assertThat(v).contains("MIME_TYPE_MISMATCH"));
        assertThat(delivered.header("Subject")).contains("[SPAM] holiday");
        mx.assertNoMoreFrom(mail.from(), 1);
    }

    @Test
    void spam_by_a_content_rule_is_bounced_to_its_sender_when_spam_handle_is_bounce() throws Exception {
        Mail mail = new Mail("192.0.2.23", "bounced.example.net", "grace@bounced.example.net", "heidi@detective.example");
        mx.restartDetective(detective("bounce"));
        try {
            Session s = mx.send(mail, mx.message("holiday", "Hello.", ContentFilterSystem.attachment("photo.jpg", "image/jpeg", FileSamples.pe())));
            assertThat(s.endOfDataReply()).as("Postfix took the mail\n%s", s).startsWith("250 ");

            SmtpSink.Message dsn = mx.bounceTo(mail.from());
            assertThat(dsn.data()).contains("multipart/report", "report-type=delivery-status", "Status: 5.7.1");
            mx.assertNoMoreFrom(mail.from(), 0);
            assertThat(mx.postfix.maillog()).contains("to=<" + mail.to() + ">", "status=bounced");
        } finally {
            mx.restartDetective(detective("tag"));
        }
    }

    @Test
    void a_forbidden_attachment_is_refused_and_its_sender_gets_a_delivery_status_notification() throws Exception {
        Mail mail = new Mail("192.0.2.24", "refused.example.net", "ivan@refused.example.net", "judy@detective.example");

        Session s = mx.send(mail, mx.message("the invoice", "Hello.", ContentFilterSystem.attachment("invoice.exe", "application/octet-stream", FileSamples.pe())));

        assertThat(s.endOfDataReply()).as("Postfix took the mail (the Detective checks it after the queue)\n%s", s).startsWith("250 ");
        SmtpSink.Message dsn = mx.bounceTo(mail.from());
        assertThat(dsn.data()).contains("report-type=delivery-status", REFUSED_TEXT);
        mx.assertNoMoreFrom(mail.from(), 0);
    }

    @Test
    void an_encrypted_archive_is_quarantined_and_kept_in_the_spool_not_delivered() throws Exception {
        Mail mail = new Mail("192.0.2.25", "held.example.net", "mallory@held.example.net", "niaj@detective.example");

        Session s = mx.send(mail, mx.message("see attached", "Hello.", ContentFilterSystem.attachment("papers.zip", "application/zip", FileSamples.zip(true, 16, "secret.doc"))));

        assertThat(s.endOfDataReply()).as("Postfix took the mail\n%s", s).startsWith("250 ");
        mx.awaitMaillog("quarantined (");
        List<Path> kept = mx.quarantinedFrom(mail.from());
        assertThat(kept).as("the quarantined mail").hasSize(1);
        assertThat(ContentFilterSystem.reasonOf(kept.getFirst())).contains("MIME_ENCRYPTED_ARCHIVE");
        mx.assertNoMoreFrom(mail.from(), 0);
        assertThat(mx.sink.received()).as("no bounce for a quarantined mail").noneMatch(m -> m.recipients().contains(mail.from()));
    }

    @Test
    void when_the_reinjection_listener_is_down_Postfix_keeps_the_mail_and_delivers_it_once_it_is_back() throws Exception {
        Mail mail = new Mail("192.0.2.21", "patient.example.net", "carol@patient.example.net", "dave@detective.example");
        mx.postfix.reinjectListener(false, mx.reinjectPort);
        try {
            Session s = Swaks.send(mx.postfix.smtpPort(), mail);
            assertThat(s.endOfDataReply()).as("Postfix queued the mail\n%s", s).startsWith("250 ");
            mx.awaitMaillog("status=deferred");
            assertThat(mx.sink.received()).as("nothing delivered while the listener is down")
                    .noneMatch(m -> m.from().equals(mail.from()));
        } finally {
            mx.postfix.reinjectListener(true, mx.reinjectPort);
        }
        mx.postfix.flushQueue();

        assertThat(mx.deliveredFrom(mail.from(), 1)).hasSize(1);
        mx.assertNoMoreFrom(mail.from(), 1);
    }
}
