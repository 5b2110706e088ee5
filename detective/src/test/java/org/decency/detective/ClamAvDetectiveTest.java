package org.decency.detective;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.decency.testkit.TestClamd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.decency.testkit.SmtpClient;

/** The Detective with the ClamAV module and a real clamd: what Postfix hears and what is delivered. */
class ClamAvDetectiveTest extends DetectiveTestBase {
    static final String ID = DecisionTest.ID;
    static final String VIRUS = TestClamd.FOUND_NAME;

    @TempDir
    static Path clamdDir;
    static TestClamd clamd;

    @BeforeAll
    static void startClamd() {
        clamd = TestClamd.start(clamdDir);
    }

    @AfterAll
    static void stopClamd() {
        if (clamd != null) clamd.close();
    }

    static String infected() {
        String b64 = Base64.getMimeEncoder().encodeToString(TestClamd.EICAR.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return "From: Sender <sender@example.net>\r\nTo: <user@example.org>\r\nSubject: invoice\r\nMessage-ID: <v1@example.net>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain\r\n\r\nsee the invoice\r\n"
                + "--b1\r\nContent-Type: application/octet-stream; name=\"invoice.com\"\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"invoice.com\"\r\n\r\n" + b64 + "\r\n--b1--\r\n";
    }

    @Test
    void aVirusIsBouncedAndACleanMailDelivered() {
        start("modules:\n  - ClamAV: {host: 127.0.0.1, port: " + clamd.port() + "}\nvirus: {handle: bounce}\n");

        SmtpClient.Reply virus = send(infected());
        SmtpClient.Reply clean = send(mail("minutes", "the minutes are attached\r\n"));

        assertThat(virus.code()).isEqualTo(554);
        assertThat(virus.text()).matches("5\\.7\\.1 Virus found: " + VIRUS.replace(".", "\\.") + " " + ID);
        assertThat(clean.code()).isEqualTo(250);
        assertThat(hop.only().headers("Subject")).containsExactly("minutes");
        assertSpoolEmpty();
    }

    @Test
    void aVirusIsQuarantinedOverTheUnixSocket() throws Exception {
        start("modules:\n  - ClamAV: {path: " + clamd.socket() + "}\nvirus: {handle: quarantine, notify_recipient: 0}\n");

        SmtpClient.Reply r = send(infected());

        assertThat(r.code()).isEqualTo(250);
        String id = r.text().substring(r.text().lastIndexOf(' ') + 1);
        assertThat(Files.readString(detective.spool().quarantineDir().resolve(id + ".reason"))).isEqualTo("Virus found: " + VIRUS + "\n");
        assertThat(hop.mails).isEmpty();
    }

    @Test
    void clamdDownDefersTheMailWith451AndNothingIsDelivered() {
        start("modules:\n  - ClamAV: {host: 127.0.0.1, port: ${CLOSED}}\nvirus: {handle: bounce}\n");

        SmtpClient.Reply r = send(infected());

        assertThat(r.code()).isEqualTo(451);
        assertThat(r.text()).matches("4\\.3\\.0 ClamAV is not available, try again later " + ID);
        assertThat(hop.mails).isEmpty();
        assertSpoolEmpty();
    }

    @Test
    void withOnFailureSkipAnUnscannedMailIsDelivered() {
        start("modules:\n  - ClamAV: {host: 127.0.0.1, port: ${CLOSED}, on_failure: skip}\n");

        assertThat(send(mail("unscanned", "x\r\n")).code()).isEqualTo(250);
        assertThat(hop.only().headers("Subject")).containsExactly("unscanned");
        assertSpoolEmpty();
    }
}
