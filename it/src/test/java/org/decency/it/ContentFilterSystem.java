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
import org.decency.cli.DetectiveRunner;
import org.decency.cli.RunningServer;

/**
 * A real Postfix wired to a Detective as the seeds' main.cf/master.cf describe
 * ({@code content_filter = decency:[127.0.0.1]:PORT}, the {@code decency} SMTP transport
 * with XFORWARD and one recipient per delivery, a reinjection smtpd without filters that
 * relays to an SMTP sink), and what the tests ask of it: mails to send, what arrived,
 * what the Detective kept. Every mail sent can be counted at the sink.
 */
final class ContentFilterSystem implements AutoCloseable {
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);

    final Path dir;
    final SmtpSink sink;
    final PostfixInstance postfix;
    final int reinjectPort;
    final int detectivePort;
    private RunningServer detective;

    private ContentFilterSystem(Path dir, DetectiveConfig detectiveYaml) throws IOException {
        this.dir = dir;
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        this.reinjectPort = PostfixInstance.freeLoopbackPort();
        this.detectivePort = PostfixInstance.freeLoopbackPort();
        SmtpSink startedSink = SmtpSink.start();
        this.sink = startedSink;
        try {
            this.detective = startDetective(detectiveYaml.yaml(detectivePort, reinjectPort));
            this.postfix = PostfixInstance.start(dir.resolve("postfix"), new PostfixInstance.Settings(
                    sink.port(), 0, List.of("detective.example"), detectivePort, reinjectPort));
        } catch (IOException | RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** The Detective's config, given where it listens and where it passes mail on. */
    @FunctionalInterface
    interface DetectiveConfig {
        String yaml(int detectivePort, int reinjectPort);
    }

    static ContentFilterSystem start(Path dir, DetectiveConfig detectiveYaml) throws IOException {
        Commands.require("postfix", "postconf", "postqueue", "swaks", "script");
        return new ContentFilterSystem(dir, detectiveYaml);
    }

    private RunningServer startDetective(String yaml) throws IOException {
        return DetectiveRunner.start(Files.writeString(dir.resolve("detective.yml"), yaml));
    }

    /** Another Detective config on the same port (Postfix is not told): e.g. another {@code spam.handle}. */
    void restartDetective(DetectiveConfig yaml) throws IOException {
        detective.close();
        detective = startDetective(yaml.yaml(detectivePort, reinjectPort));
    }

    Swaks.Session send(Swaks.Mail mail, Path message) {
        return Swaks.send(postfix.smtpPort(), mail, message);
    }

    @Override
    public void close() {
        Stopping.inOrder(postfix, detective, sink);
    }

    // ---- mails ----

    /** A mail file with a text part and {@code attachments} (each from {@link #attachment}); swaks fills in the envelope tokens. */
    Path message(String subject, String text, String... attachments) throws IOException {
        String boundary = "decency-it-" + System.nanoTime();
        StringBuilder m = new StringBuilder(String.join("\r\n",
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
                text,
                ""));
        for (String a : attachments) m.append("--").append(boundary).append("\r\n").append(a).append("\r\n");
        m.append("--").append(boundary).append("--\r\n");
        return Files.writeString(Files.createTempFile(dir, "mail-", ".eml"), m);
    }

    static String attachment(String name, String type, byte[] content) {
        return String.join("\r\n",
                "Content-Type: " + type + "; name=\"" + name + "\"",
                "Content-Disposition: attachment; filename=\"" + name + "\"",
                "Content-Transfer-Encoding: base64",
                "",
                Base64.getMimeEncoder().encodeToString(content));
    }

    // ---- what arrived, what was kept ----

    List<SmtpSink.Message> deliveredFrom(String sender, int count) throws InterruptedException {
        List<SmtpSink.Message> got = sink.awaitFrom(sender, count, DELIVERY_TIMEOUT);
        assertThat(got).as("mails from %s at the sink within %ss (all: %s)", sender, DELIVERY_TIMEOUT.toSeconds(),
                sink.received()).hasSize(count);
        return got;
    }

    /** The one delivery status notification (null sender) that reached {@code sender}. */
    SmtpSink.Message bounceTo(String sender) throws InterruptedException {
        List<SmtpSink.Message> dsns = sink.await(m -> m.from().isEmpty() && m.recipients().contains(sender), 1, DELIVERY_TIMEOUT);
        assertThat(dsns).as("a bounce to %s within %ss (all: %s)", sender, DELIVERY_TIMEOUT.toSeconds(), sink.received()).hasSize(1);
        return dsns.getFirst();
    }

    /** After a second of grace, exactly {@code count} mails from {@code sender} arrived: nothing twice, nothing extra. */
    void assertNoMoreFrom(String sender, int count) throws InterruptedException {
        Thread.sleep(1000);
        assertThat(sink.received().stream().filter(m -> m.from().equalsIgnoreCase(sender))).as("mails from %s", sender).hasSize(count);
    }

    void awaitMaillog(String text) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (postfix.maillog().contains(text)) return;
            Thread.sleep(100);
        }
        throw new AssertionError("the maillog never said \"" + text + "\" within " + DELIVERY_TIMEOUT.toSeconds() + "s");
    }

    /** The mails from {@code sender} in the Detective's {@code spool/quarantine/} (the {@code .eml} files). */
    List<Path> quarantinedFrom(String sender) throws IOException {
        try (var files = Files.list(dir.resolve("spool/quarantine"))) {
            return files.filter(f -> f.toString().endsWith(".eml")).filter(f -> contains(f, sender)).toList();
        }
    }

    /** The reason file beside a quarantined mail. */
    static String reasonOf(Path eml) throws IOException {
        return Files.readString(Path.of(eml.toString().replaceFirst("\\.eml$", ".reason")));
    }

    private static boolean contains(Path file, String text) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            return false;
        }
    }
}
