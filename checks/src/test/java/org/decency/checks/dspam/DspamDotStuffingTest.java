package org.decency.checks.dspam;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The DATA encoding of the DSPAM wrapper: line ends, leading dots, the end of the data. */
class DspamDotStuffingTest {
    /** Mostly the bytes that matter: dots, CRs and LFs. */
    static final String ALPHABET = "ab.\r\n.x";

    static String stuff(String mail) throws IOException {
        return stuff(mail.getBytes(StandardCharsets.ISO_8859_1), Integer.MAX_VALUE);
    }

    /** Writes in pieces of {@code chunk} bytes (1: byte by byte), so every state is crossed at every boundary. */
    static String stuff(byte[] mail, int chunk) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DotStuffing d = new DotStuffing(sink);
        for (int i = 0; i < mail.length; i += chunk) d.write(mail, i, Math.min(chunk, mail.length - i));
        d.finish();
        return sink.toString(StandardCharsets.ISO_8859_1);
    }

    /** What a server does with the data: drops the end line and one leading dot of each line. */
    static String unstuff(String data) {
        assertThat(data.equals(".\r\n") || data.endsWith("\r\n.\r\n")).as(data).isTrue();
        String body = data.substring(0, data.length() - 3);
        StringBuilder b = new StringBuilder();
        for (String line : body.split("\r\n", -1)) b.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
        return b.substring(0, b.length() - 2);
    }

    @Test
    void aLeadingDotIsDoubledAndTheDataEndsWithALoneDot() throws IOException {
        assertThat(stuff("Subject: x\r\n\r\n.\r\n..two\r\nnot.here\r\n"))
                .isEqualTo("Subject: x\r\n\r\n..\r\n...two\r\nnot.here\r\n.\r\n");
    }

    @Test
    void bareLineEndsBecomeCrlfAndAnOpenLastLineIsClosed() throws IOException {
        assertThat(stuff("a\nb\rc\r\n.d")).isEqualTo("a\r\nb\r\nc\r\n..d\r\n.\r\n");
        assertThat(stuff("ends in cr\r")).isEqualTo("ends in cr\r\n.\r\n");
        assertThat(stuff("")).isEqualTo(".\r\n");
    }

    @Test
    void aDotAfterABareCrStartsALineToo() throws IOException {
        assertThat(stuff("x\r.y\r\n")).isEqualTo("x\r\n..y\r\n.\r\n");
    }

    @Test
    void pieceSizesDoNotMatterAndTheServerGetsTheMailBack() throws IOException {
        Random r = new Random(42);
        for (int round = 0; round < 200; round++) {
            byte[] mail = new byte[r.nextInt(300)];
            for (int i = 0; i < mail.length; i++) mail[i] = (byte) ALPHABET.charAt(r.nextInt(ALPHABET.length()));
            String whole = stuff(mail, Integer.MAX_VALUE);
            for (int chunk : new int[] {1, 2, 3, 7, 64}) assertThat(stuff(mail, chunk)).isEqualTo(whole);
            String crlf = new String(mail, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
            String expected = crlf.isEmpty() || crlf.endsWith("\r\n") ? crlf : crlf + "\r\n";
            assertThat(unstuff(whole)).isEqualTo(expected);
        }
    }
}
