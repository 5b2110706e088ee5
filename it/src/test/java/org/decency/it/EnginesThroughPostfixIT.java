package org.decency.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.decency.it.Swaks.Mail;
import org.decency.it.Swaks.Session;
import org.decency.testkit.TestClamd;
import org.decency.testkit.Spamd;
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
 * The Detective's external engines, really run, behind a real Postfix wired as the seeds
 * describe: a clamd with our EICAR signature, a spamd with local tests only and one rule of
 * ours, and a bogofilter database trained through {@code decency train}. Every mail sent
 * is counted at the sink.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EnginesThroughPostfixIT {
    /** Our spamd rule: a body with this word scores 12 in SpamAssassin. */
    private static final String SPAMMY = "decency-cheap-pills";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    static TestClamd clamd;
    static Spamd spamd;
    static Path bogofilterDb;
    static ContentFilterSystem mx;

    @RegisterExtension
    static final TestExecutionExceptionHandler SHOW_LOGS = MaillogOnFailure.of(() -> mx == null ? null : mx.postfix, 60);

    @BeforeAll
    static void startMailSystem() throws IOException {
        clamd = TestClamd.start(dir.resolve("clamd"));
        spamd = Spamd.start(dir.resolve("spamd"), "body DECENCY_SPAMMY /" + SPAMMY + "/\nscore DECENCY_SPAMMY 12");
        bogofilterDb = Files.createDirectories(dir.resolve("bogofilter"));
        mx = ContentFilterSystem.start(dir, detective("tag", "quarantine"));
    }

    @AfterAll
    static void stopMailSystem() {
        Stopping.inOrder(mx, spamd, clamd);
    }

    private static ContentFilterSystem.DetectiveConfig detective(String spamHandle, String virusHandle) {
        return (port, reinject) -> """
                server: {host: 127.0.0.1, port: %d, instances: 8}
                spool_dir: spool
                reinject: {host: 127.0.0.1, port: %d}
                database: {path: decency.db}
                spam: {behavior: scoring, threshold: -50, handle: %s, subject_prefix: "[SPAM]", noisy_headers: 1}
                virus: {handle: %s}
                modules:
                  - ClamAV: {host: 127.0.0.1, port: %d, timeout: 30s}
                  - SpamAssassin: {host: 127.0.0.1, port: %d, timeout: 30s, weight_innocent: 0, weight_spam: -60}
                  - Bogofilter: {default_user: %s, weight_innocent: 0, weight_spam: -60, timeout: 30s}
                """.formatted(port, reinject, spamHandle, virusHandle, clamd.port(), spamd.port(), bogofilterDb);
    }

    @Test
    void a_mail_carrying_the_EICAR_test_string_is_quarantined_when_virus_handle_is_quarantine() throws Exception {
        Mail mail = new Mail("192.0.2.30", "virus.example.net", "oscar@virus.example.net", "peggy@detective.example");

        Session s = mx.send(mail, mx.message("your invoice", "See the attachment.",
                ContentFilterSystem.attachment("invoice.txt", "text/plain", TestClamd.EICAR.getBytes(java.nio.charset.StandardCharsets.US_ASCII))));

        assertThat(s.endOfDataReply()).as("Postfix took the mail\n%s", s).startsWith("250 ");
        mx.awaitMaillog("quarantined (virus)");
        List<Path> kept = mx.quarantinedFrom(mail.from());
        assertThat(kept).hasSize(1);
        assertThat(ContentFilterSystem.reasonOf(kept.getFirst())).contains(TestClamd.FOUND_NAME);
        mx.assertNoMoreFrom(mail.from(), 0);
    }

    @Test
    void a_mail_carrying_the_EICAR_test_string_is_bounced_when_virus_handle_is_bounce() throws Exception {
        Mail mail = new Mail("192.0.2.31", "virus2.example.net", "trent@virus2.example.net", "victor@detective.example");
        mx.restartDetective(detective("tag", "bounce"));
        try {
            Session s = mx.send(mail, mx.message("your invoice", "See the attachment.",
                    ContentFilterSystem.attachment("invoice.txt", "text/plain", TestClamd.EICAR.getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
            assertThat(s.endOfDataReply()).as("Postfix took the mail\n%s", s).startsWith("250 ");
            SmtpSink.Message dsn = mx.bounceTo(mail.from());
            assertThat(dsn.data()).contains("report-type=delivery-status", "Virus found: " + TestClamd.FOUND_NAME);
            mx.assertNoMoreFrom(mail.from(), 0);
        } finally {
            mx.restartDetective(detective("tag", "quarantine"));
        }
    }

    @Test
    void a_mail_spamd_scores_high_is_delivered_tagged_when_spam_handle_is_tag() throws Exception {
        Mail mail = new Mail("192.0.2.32", "pills.example.net", "walter@pills.example.net", "wendy@detective.example");

        Session s = mx.send(mail, mx.message("cheap", "Buy " + SPAMMY + " now."));

        assertThat(s.endOfDataReply()).as("Postfix took the mail\n%s", s).startsWith("250 ");
        SmtpSink.Message delivered = mx.deliveredFrom(mail.from(), 1).getFirst();
        assertThat(delivered.header("X-Decency-Result")).contains("SPAM");
        assertThat(delivered.header("X-Decency-SpamInfo")).hasValueSatisfying(v -> assertThat(v).contains("SpamAssassin=-60"));
        assertThat(delivered.header("Subject")).contains("[SPAM] cheap");
        mx.assertNoMoreFrom(mail.from(), 1);
    }

    @Test
    void a_mail_spamd_scores_high_is_bounced_when_spam_handle_is_bounce() throws Exception {
        Mail mail = new Mail("192.0.2.33", "pills2.example.net", "xavier@pills2.example.net", "yvonne@detective.example");
        mx.restartDetective(detective("bounce", "quarantine"));
        try {
            Session s = mx.send(mail, mx.message("cheap", "Buy " + SPAMMY + " now."));
            assertThat(s.endOfDataReply()).as("Postfix took the mail\n%s", s).startsWith("250 ");
            SmtpSink.Message dsn = mx.bounceTo(mail.from());
            assertThat(dsn.data()).contains("report-type=delivery-status", "Status: 5.7.1");
            mx.assertNoMoreFrom(mail.from(), 0);
        } finally {
            mx.restartDetective(detective("tag", "quarantine"));
        }
    }

    @Test
    void a_mail_bogofilter_was_trained_on_as_spam_scores_as_spam() throws Exception {
        Mail mail = new Mail("192.0.2.34", "lotto.example.net", "zoe@lotto.example.net", "adam@detective.example");
        // nothing SpamAssassin's rules object to: only what bogofilter learnt makes it spam
        Path lotto = mx.message("garden club news", "The tulip bulbs for the spring planting arrive on Friday; orders close Thursday.");
        Path ham = mx.message("minutes of the meeting", "Attached are the minutes of Tuesday's planning meeting. Regards, Bob");
        // taught through the command an administrator uses, into the database the module reads: a sample of the
        // SpamAssassin corpus, and the campaign's mail as spam
        org.decency.testkit.MailCorpus corpus = org.decency.testkit.MailCorpus.extract(dir.resolve("corpus"));
        assertThat(train("spam", corpus.spam().toArray(Path[]::new))).isZero();
        assertThat(train("ham", corpus.ham().toArray(Path[]::new))).isZero();
        assertThat(train("spam", lotto)).isZero();
        assertThat(train("ham", ham)).isZero();

        Session s = mx.send(mail, lotto);

        assertThat(s.endOfDataReply()).as("Postfix took the mail\n%s", s).startsWith("250 ");
        SmtpSink.Message delivered = mx.deliveredFrom(mail.from(), 1).getFirst();
        assertThat(delivered.header("X-Decency-SpamInfo")).hasValueSatisfying(v -> assertThat(v).contains("Bogofilter=-60"));
        assertThat(delivered.header("X-Decency-Result")).contains("SPAM");
        mx.assertNoMoreFrom(mail.from(), 1);
    }

    private static int train(String what, Path... mails) {
        List<String> args = new java.util.ArrayList<>(List.of("train", what, "--module", "Bogofilter", "-c", dir.resolve("detective.yml").toString()));
        for (Path m : mails) args.add(m.toString());
        return org.decency.cli.Decency.commandLine().execute(args.toArray(String[]::new));
    }
}
