package org.decency.detective;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.decency.detective.smtp.EnvelopeGate;
import org.decency.detective.smtp.SmtpReply;
import org.decency.detective.smtp.SmtpServer;
import org.decency.detective.smtp.SmtpServerSettings;
import org.decency.detective.spool.Spool;
import org.decency.detective.spool.SpoolEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.decency.testkit.SmtpClient;

/** A before-queue proxy's envelope checks: refusals at MAIL and RCPT, the facts they see, the fields they put on top. */
class EnvelopeGateTest {
    @TempDir Path dir;

    final List<EnvelopeGate.EnvelopeFacts> seen = new CopyOnWriteArrayList<>();
    final List<String> received = new CopyOnWriteArrayList<>();

    /** Refuses senders at blocked.example, recipients named nobody@, and puts an X-Gate field on top. */
    final EnvelopeGate gate = facts -> {
        seen.add(facts);
        return new EnvelopeGate.Screening() {
            @Override
            public SmtpReply mail() {
                return facts.sender().endsWith("@blocked.example") ? SmtpReply.of(554, "5.7.1", "sender refused") : null;
            }

            @Override
            public SmtpReply rcpt(String address, String params) {
                return address.startsWith("nobody@") ? SmtpReply.of(550, "5.1.1", "no such user here") : null;
            }

            @Override
            public List<String> headers() {
                return List.of("X-Gate: " + facts.clientAddress() + " " + facts.clientHelo());
            }
        };
    };

    private SmtpServer server() throws IOException {
        return new SmtpServer(new SmtpServerSettings("127.0.0.1", 0, false, "test", 4, 1 << 20, 10, 1000, Duration.ofSeconds(30)),
                new Spool(dir.resolve("spool")), this::deliver, gate).start();
    }

    private List<SmtpReply> deliver(SpoolEntry e) {
        try (InputStream in = e.open()) {
            received.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Files.delete(e.file());
        } catch (IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
        return List.of(SmtpReply.of(250, "2.0.0", "Ok: taken"));
    }

    @Test
    void aRefusedSenderHearsTheGatesReplyAndNoTransactionStarts() throws IOException {
        try (SmtpServer s = server(); SmtpClient c = SmtpClient.ehlo(s.port())) {
            SmtpClient.Reply r = c.cmd("MAIL FROM:<spammer@blocked.example>");
            assertThat(r.code()).isEqualTo(554);
            assertThat(r.text()).isEqualTo("5.7.1 sender refused");
            assertThat(c.cmd("RCPT TO:<bob@example.org>").code()).as("no MAIL accepted").isEqualTo(503);
        }
    }

    @Test
    void aRefusedRecipientIsLeftOutAndTheOthersGetTheMailWithTheGatesField() throws IOException {
        try (SmtpServer s = server(); SmtpClient c = SmtpClient.ehlo(s.port())) {
            assertThat(c.cmd("XFORWARD ADDR=192.0.2.7 NAME=mail.example.net HELO=mail.example.net").code()).isEqualTo(250);
            assertThat(c.cmd("MAIL FROM:<alice@example.net>").code()).isEqualTo(250);
            SmtpClient.Reply nobody = c.cmd("RCPT TO:<nobody@example.org>");
            assertThat(nobody.code()).isEqualTo(550);
            assertThat(nobody.text()).isEqualTo("5.1.1 no such user here");
            assertThat(c.cmd("RCPT TO:<bob@example.org>").code()).isEqualTo(250);
            assertThat(c.data("Subject: hi\r\n\r\nhello\r\n").code()).isEqualTo(250);
        }
        assertThat(seen).singleElement().satisfies(f -> {
            assertThat(f.clientAddress()).isEqualTo("192.0.2.7");
            assertThat(f.clientHelo()).isEqualTo("mail.example.net");
            assertThat(f.sender()).isEqualTo("alice@example.net");
        });
        assertThat(received).singleElement().isEqualTo("X-Gate: 192.0.2.7 mail.example.net\r\nSubject: hi\r\n\r\nhello\r\n");
    }

    @Test
    void withoutXforwardTheConnectionsPeerIsTheClient() throws IOException {
        try (SmtpServer s = server(); SmtpClient c = SmtpClient.ehlo(s.port())) {
            assertThat(c.mail("alice@example.net", List.of("bob@example.org"), "Subject: x\r\n\r\ny\r\n").code()).isEqualTo(250);
        }
        assertThat(seen).singleElement().satisfies(f -> assertThat(f.clientAddress()).isEqualTo("127.0.0.1"));
    }

    @Test
    void allRecipientsRefusedMeansDataIsRefusedToo() throws IOException {
        try (SmtpServer s = server(); SmtpClient c = SmtpClient.ehlo(s.port())) {
            assertThat(c.cmd("MAIL FROM:<alice@example.net>").code()).isEqualTo(250);
            assertThat(c.cmd("RCPT TO:<nobody@example.org>").code()).isEqualTo(550);
            assertThat(c.cmd("DATA").code()).isEqualTo(554);
        }
        assertThat(received).isEmpty();
    }
}
