package org.decency.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spamd the tests start really scans: GTUBE, and a rule of the test's own. */
class SpamdTest {
    private static final String MAIL = "From: Alice <alice@example.net>\r\nTo: Bob <bob@example.org>\r\nSubject: lunch\r\n"
            + "Date: Mon, 23 Nov 2026 12:00:00 +0000\r\nMessage-ID: <1@example.net>\r\n\r\nHi Bob, shall we meet at noon?\r\n";

    @TempDir Path dir;

    @Test
    void spamdScoresGtubeAndALocalRule() throws IOException {
        try (Spamd spamd = Spamd.start(dir.resolve("spamd"), "body DECENCY_TEST /decency-marker/\nscore DECENCY_TEST 7.5")) {
            assertThat(check(spamd.port(), "Subject: x\r\n\r\n" + Spamd.GTUBE + "\r\n")).containsPattern("Spam: True ; 10\\d\\d");
            assertThat(check(spamd.port(), MAIL + "see the decency-marker here\r\n")).contains("Spam: True ; ");
            assertThat(check(spamd.port(), MAIL + "see the marker here\r\n")).contains("Spam: False ; ");
        }
    }

    private static String check(int port, String mail) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(60_000);
            byte[] b = mail.getBytes(StandardCharsets.US_ASCII);
            OutputStream out = s.getOutputStream();
            out.write(("CHECK SPAMC/1.5\r\nContent-length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
