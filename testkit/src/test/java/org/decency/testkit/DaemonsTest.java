package org.decency.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemons the engine tests start really scan: clamd finds our EICAR signature, spamd scores GTUBE and our rule. */
class DaemonsTest {
    private static final String MAIL = "From: Alice <alice@example.net>\r\nTo: Bob <bob@example.org>\r\nSubject: lunch\r\n"
            + "Date: Mon, 23 Nov 2026 12:00:00 +0000\r\nMessage-ID: <1@example.net>\r\n\r\nHi Bob, shall we meet at noon?\r\n";

    @TempDir Path dir;

    @Test
    void clamdFindsTheEicarStringWithOurSignature() throws IOException {
        try (Clamd clamd = Clamd.start(dir.resolve("clamd"))) {
            assertThat(instream(clamd.port(), "Subject: x\r\n\r\n" + Clamd.EICAR + "\r\n")).isEqualTo("stream: " + Clamd.FOUND + " FOUND");
            assertThat(instream(clamd.port(), "Subject: x\r\n\r\nhello\r\n")).isEqualTo("stream: OK");
        }
    }

    @Test
    void spamdScoresGtubeAndALocalRule() throws IOException {
        try (Spamd spamd = Spamd.start(dir.resolve("spamd"), "body DECENCY_TEST /decency-marker/\nscore DECENCY_TEST 7.5")) {
            assertThat(check(spamd.port(), "Subject: x\r\n\r\n" + Spamd.GTUBE + "\r\n")).containsPattern("Spam: True ; 10\\d\\d");
            assertThat(check(spamd.port(), MAIL + "see the decency-marker here\r\n")).contains("Spam: True ; ");
            assertThat(check(spamd.port(), MAIL + "see the marker here\r\n")).contains("Spam: False ; ");
        }
    }

    private static String instream(int port, String mail) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            byte[] b = mail.getBytes(StandardCharsets.US_ASCII);
            out.write("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII));
            out.writeInt(b.length);
            out.write(b);
            out.writeInt(0);
            out.flush();
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return reply.replace("\0", "").strip();
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
