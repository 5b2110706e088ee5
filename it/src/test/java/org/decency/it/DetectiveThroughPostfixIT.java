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

    private static final String REFUSED_TEXT = "Programs are not accepted here";

    static SmtpSink sink;
    static RunningServer detective;
    static PostfixInstance postfix;
    static int reinjectPort;
    static int detectivePort;

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
        detectivePort = PostfixInstance.freeLoopbackPort();
        detective = startDetective("tag");
        postfix = PostfixInstance.start(dir.resolve("postfix"), new PostfixInstance.Settings(
                sink.port(), 0, List.of("detective.example"), detective.port(), reinjectPort));
    }

    /**
     * The Detective with MimeAttribs as its content rules: a program disguised as a picture
     * scores -60 (spam at the threshold of -50, handled as {@code spamHandle} says), an
     * attachment named like a program is refused, an encrypted archive is quarantined.
     */
    private static RunningServer startDetective(String spamHandle) throws IOException {
        return DetectiveRunner.start(Files.writeString(dir.resolve("detective.yml"), """
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
                """.formatted(detectivePort, reinjectPort, spamHandle, REFUSED_TEXT)));
    }

    /** The same Detective on the same port, with {@code spam.handle} changed; Postfix is not told. */
    private static void restartDetective(String spamHandle) throws IOException {
        detective.close();
        detective = startDetective(spamHandle);
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
        assertNoMoreFrom(mail.from(), 1);
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
        assertNoMoreFrom(mail.from(), 1);
    }

    @Test
    void spam_by_a_content_rule_is_delivered_tagged_when_spam_handle_is_tag() throws Exception {
        Mail mail = new Mail("192.0.2.22", "tagged.example.net", "erin@tagged.example.net", "frank@detective.example");

        Session s = Swaks.send(postfix.smtpPort(), mail, message("holiday", attachment("photo.jpg", "image/jpeg", program())));

        assertThat(s.endOfDataReply()).as("Postfix took the mail\n%s", s).startsWith("250 ");
        SmtpSink.Message delivered = deliveredFrom(mail.from(), 1).getFirst();
        assertThat(delivered.recipients()).containsExactly(mail.to());
        assertThat(delivered.header("X-Decency-Result")).contains("SPAM");
        assertThat(delivered.header("X-Decency-Score")).contains("-60");
        assertThat(delivered.header("X-Decency-SpamInfo")).hasValueSatisfying(v -> assertThat(v).contains("MIME_TYPE_MISMATCH"));
        assertThat(delivered.header("Subject")).contains("[SPAM] holiday");
        assertNoMoreFrom(mail.from(), 1);
    }

    @Test
    void spam_by_a_content_rule_is_bounced_to_its_sender_when_spam_handle_is_bounce() throws Exception {
        Mail mail = new Mail("192.0.2.23", "bounced.example.net", "grace@bounced.example.net", "heidi@detective.example");
        restartDetective("bounce");
        try {
            Session s = Swaks.send(postfix.smtpPort(), mail, message("holiday", attachment("photo.jpg", "image/jpeg", program())));
            assertThat(s.endOfDataReply()).as("Postfix took the mail\n%s", s).startsWith("250 ");

            SmtpSink.Message dsn = bounceTo(mail.from());
            assertThat(dsn.data()).contains("multipart/report", "report-type=delivery-status", "Status: 5.7.1");
            assertNoMoreFrom(mail.from(), 0);
            assertThat(postfix.maillog()).contains("to=<" + mail.to() + ">", "status=bounced");
        } finally {
            restartDetective("tag");
        }
    }

    @Test
    void a_forbidden_attachment_is_refused_and_its_sender_gets_a_delivery_status_notification() throws Exception {
        Mail mail = new Mail("192.0.2.24", "refused.example.net", "ivan@refused.example.net", "judy@detective.example");

        Session s = Swaks.send(postfix.smtpPort(), mail, message("the invoice", attachment("invoice.exe", "application/octet-stream", program())));

        assertThat(s.endOfDataReply()).as("Postfix took the mail (the Detective checks it after the queue)\n%s", s).startsWith("250 ");
        SmtpSink.Message dsn = bounceTo(mail.from());
        assertThat(dsn.data()).contains("report-type=delivery-status", REFUSED_TEXT);
        assertNoMoreFrom(mail.from(), 0);
    }

    @Test
    void an_encrypted_archive_is_quarantined_and_kept_in_the_spool_not_delivered() throws Exception {
        Mail mail = new Mail("192.0.2.25", "held.example.net", "mallory@held.example.net", "niaj@detective.example");

        Session s = Swaks.send(postfix.smtpPort(), mail, message("see attached", attachment("papers.zip", "application/zip", encryptedZip())));

        assertThat(s.endOfDataReply()).as("Postfix took the mail\n%s", s).startsWith("250 ");
        awaitMaillog("quarantined (", DELIVERY_TIMEOUT);
        Path quarantine = dir.resolve("spool/quarantine");
        try (var files = Files.list(quarantine)) {
            List<Path> kept = files.filter(f -> f.toString().endsWith(".eml")).filter(f -> contains(f, mail.from())).toList();
            assertThat(kept).as("the quarantined mail in %s", quarantine).hasSize(1);
            Path reason = Path.of(kept.getFirst().toString().replaceFirst("\\.eml$", ".reason"));
            assertThat(Files.readString(reason)).contains("MIME_ENCRYPTED_ARCHIVE");
        }
        assertNoMoreFrom(mail.from(), 0);
        assertThat(sink.received()).as("no bounce for a quarantined mail").noneMatch(m -> m.recipients().contains(mail.from()));
    }

    // ---- mails ----

    private static Path message(String subject, String attachment) throws IOException {
        String boundary = "decency-it-" + System.nanoTime();
        return Files.writeString(Files.createTempFile(dir, "mail-", ".eml"), String.join("\r\n",
                "From: <%FROM_ADDRESS%>",
                "To: <%TO_ADDRESS%>",
                "Subject: " + subject,
                "Date: %DATE%",
                "Message-Id: <%MESSAGEID%>",
                "MIME-Version: 1.0",
                "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"",
                "",
                "--" + boundary,
                "Content-Type: text/plain; charset=us-ascii",
                "",
                "Hello from the integration test.",
                "--" + boundary,
                attachment,
                "--" + boundary + "--",
                ""));
    }

    private static String attachment(String name, String type, byte[] content) {
        return String.join("\r\n",
                "Content-Type: " + type + "; name=\"" + name + "\"",
                "Content-Disposition: attachment; filename=\"" + name + "\"",
                "Content-Transfer-Encoding: base64",
                "",
                java.util.Base64.getMimeEncoder().encodeToString(content));
    }

    /** The first bytes of a Windows program: a DOS header whose last field points to "PE\0\0". */
    private static byte[] program() {
        byte[] b = new byte[256];
        b[0] = 'M';
        b[1] = 'Z';
        b[0x3c] = (byte) 0x80;
        b[0x80] = 'P';
        b[0x81] = 'E';
        return b;
    }

    /** A ZIP whose one entry has the "encrypted" flag (general purpose bit 0). */
    private static byte[] encryptedZip() {
        byte[] name = "secret.doc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(30 + name.length + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x04034b50).putShort((short) 20).putShort((short) 1).putShort((short) 0) // signature, version, flags, stored
                .putInt(0).putInt(0).putInt(16).putInt(16) // time+date, crc, sizes
                .putShort((short) name.length).putShort((short) 0).put(name).put(new byte[16]);
        return b.array();
    }

    private static boolean contains(Path file, String text) {
        try {
            return Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    // ---- what arrived ----

    /** The one delivery status notification (null sender) that reached {@code sender}. */
    private static SmtpSink.Message bounceTo(String sender) throws InterruptedException {
        List<SmtpSink.Message> dsns = sink.await(m -> m.from().isEmpty() && m.recipients().contains(sender), 1, DELIVERY_TIMEOUT);
        assertThat(dsns).as("a bounce to %s within %ss (all: %s)", sender, DELIVERY_TIMEOUT.toSeconds(), sink.received()).hasSize(1);
        return dsns.getFirst();
    }

    /** After a second of grace, exactly {@code count} mails from {@code sender} arrived: nothing twice, nothing extra. */
    private static void assertNoMoreFrom(String sender, int count) throws InterruptedException {
        Thread.sleep(1000);
        assertThat(sink.received().stream().filter(m -> m.from().equalsIgnoreCase(sender))).as("mails from %s", sender).hasSize(count);
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
