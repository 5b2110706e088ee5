package org.decency.detective;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.decency.detective.smtp.SmtpServer;
import org.decency.detective.smtp.SmtpServerSettings;
import org.decency.detective.spool.Spool;
import org.junit.jupiter.api.Test;
import org.decency.testkit.SmtpClient;

/** The spool as the Detective uses it: what a crash left, a spool that fails, a handler that breaks. */
class SpoolAtWorkTest extends DetectiveTestBase {

    @Test
    void atStartPartialsAreRemovedAndWhatWasBeingHandledIsKeptForTheAdministrator() throws IOException {
        Path spool = dir.resolve("spool");
        Files.createDirectories(spool.resolve("incoming"));
        Files.createDirectories(spool.resolve("processing"));
        Files.writeString(spool.resolve("incoming/1111aaaaaaaaaaaaa.spool"), "DECENCY-SPOOL 1 0\nSubject: half");
        String env = "sender\ts@example.net\nrecipient\tr@example.org\t\n";
        Files.writeString(spool.resolve("processing/2222bbbbbbbbbbbbb.spool"),
                "DECENCY-SPOOL 1 " + env.length() + "\n" + env + "Subject: whole\r\n\r\nbody\r\n");
        // not a spool file: kept whole
        Files.writeString(spool.resolve("processing/3333ccccccccccccc.eml"), "Subject: lone\r\n\r\n");

        start("");

        assertThat(spoolNames("incoming")).isEmpty();
        assertThat(spoolNames("processing")).isEmpty();
        assertThat(spoolNames("failed")).containsExactly("2222bbbbbbbbbbbbb.eml", "2222bbbbbbbbbbbbb.env", "2222bbbbbbbbbbbbb.reason",
                "3333ccccccccccccc.eml.eml", "3333ccccccccccccc.eml.env", "3333ccccccccccccc.eml.reason");
        assertThat(Files.readString(spool.resolve("failed/2222bbbbbbbbbbbbb.reason"))).contains("left in processing/");
        assertThat(Files.readString(spool.resolve("failed/2222bbbbbbbbbbbbb.eml"))).isEqualTo("Subject: whole\r\n\r\nbody\r\n");
        assertThat(hop.mails).as("not delivered a second time").isEmpty();
        // and it serves
        assertThat(send(mail("after", "x\r\n")).code()).isEqualTo(250);
        assertThat(hop.only().header("Subject")).isEqualTo("after");
    }

    @Test
    void aSpoolThatCannotTakeTheMailDefersItAndTheSessionGoesOn() throws IOException {
        start("");
        Path incoming = detective.spool().root().resolve("incoming");
        Files.delete(incoming);
        Files.writeString(incoming, "not a folder");
        try (SmtpClient c = client()) {
            c.cmd("MAIL FROM:<sender@example.net>");
            c.cmd("RCPT TO:<user@example.org>");
            SmtpClient.Reply r = c.cmd("DATA");
            assertThat(r.code()).isEqualTo(451);
            Files.delete(incoming);
            Files.createDirectory(incoming);
            assertThat(c.mail("sender@example.net", List.of("user@example.org"), mail("again", "x\r\n")).code()).isEqualTo(250);
        }
        assertThat(hop.only().header("Subject")).isEqualTo("again");
        assertSpoolEmpty();
    }

    @Test
    void aMailThatCannotBeCommittedIsDeferredAndNothingIsLeft() throws IOException {
        start("");
        Path processing = detective.spool().root().resolve("processing");
        Files.delete(processing);
        Files.writeString(processing, "not a folder");
        SmtpClient.Reply r = send(mail("not committed", "x\r\n"));
        assertThat(r.code()).isEqualTo(451);
        assertThat(spoolNames("incoming")).isEmpty();
        assertThat(hop.mails).isEmpty();
        Files.delete(processing);
        Files.createDirectory(processing);
        assertSpoolEmpty();
    }

    @Test
    void aHandlerThatBreaksDefersAndKeepsTheMailForTheAdministrator() throws IOException {
        Spool spool = new Spool(dir.resolve("own"));
        try (SmtpServer server = new SmtpServer(new SmtpServerSettings("127.0.0.1", 0, false, "test", 4, 1 << 20, 10, 1000,
                Duration.ofSeconds(30)), spool, e -> {
                    throw new IllegalStateException("broken on purpose");
                }).start();
             SmtpClient c = SmtpClient.ehlo(server.port())) {
            SmtpClient.Reply r = c.mail("sender@example.net", List.of("user@example.org"), mail("breaks", "x\r\n"));
            assertThat(r.code()).isEqualTo(451);
            assertThat(c.cmd("NOOP").code()).isEqualTo(250);
        }
        try (var s = Files.list(spool.root().resolve("processing"))) {
            assertThat(s.toList()).as("processing/").isEmpty();
        }
        try (var s = Files.list(spool.failedDir())) {
            assertThat(s.map(p -> p.getFileName().toString().replaceAll("^\\w+", ""))).containsExactlyInAnyOrder(".eml", ".env", ".reason");
        }
    }

    @Test
    void aHandlerWithoutAnswerDefers() {
        Spool spool = new Spool(dir.resolve("own"));
        try (SmtpServer server = new SmtpServer(new SmtpServerSettings("127.0.0.1", 0, false, "test", 4, 1 << 20, 10, 1000,
                Duration.ofSeconds(30)), spool, e -> List.of()).start();
             SmtpClient c = SmtpClient.ehlo(server.port())) {
            assertThat(c.mail("sender@example.net", List.of("user@example.org"), mail("no answer", "x\r\n")).code()).isEqualTo(451);
            assertThat(c.cmd("NOOP").code()).isEqualTo(250);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
