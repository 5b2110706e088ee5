package org.decency.detective.reinject;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DotStuffingTest {

    static String stuffed(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffing d = new DotStuffing(out);
        d.write(text.getBytes(StandardCharsets.ISO_8859_1));
        d.finish();
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void dotsAtLineStartsAreDoubledAndLineEndsBecomeCrlf() throws IOException {
        assertThat(stuffed("a\r\n.b\r\n..\r\n")).isEqualTo("a\r\n..b\r\n...\r\n.\r\n");
        assertThat(stuffed(".first\nbare lf\rbare cr\r\n.")).isEqualTo("..first\r\nbare lf\r\nbare cr\r\n..\r\n.\r\n");
        assertThat(stuffed("no end")).isEqualTo("no end\r\n.\r\n");
        assertThat(stuffed("")).isEqualTo(".\r\n");
        assertThat(stuffed("x.y\r\n\r\n.\r\n")).isEqualTo("x.y\r\n\r\n..\r\n.\r\n");
    }

    /** The bulk path gives exactly what byte-by-byte writing gives, however the input is cut. */
    @Test
    void bulkWritesEqualByteWrites() throws IOException {
        Random r = new Random(42);
        byte[] alphabet = {'.', '\r', '\n', 'a', 'b', ' '};
        for (int round = 0; round < 2000; round++) {
            byte[] in = new byte[r.nextInt(200)];
            for (int i = 0; i < in.length; i++) in[i] = alphabet[r.nextInt(alphabet.length)];

            ByteArrayOutputStream one = new ByteArrayOutputStream();
            DotStuffing bytewise = new DotStuffing(one);
            for (byte b : in) bytewise.write(b);
            bytewise.finish();

            ByteArrayOutputStream two = new ByteArrayOutputStream();
            DotStuffing chunks = new DotStuffing(two);
            for (int i = 0; i < in.length; ) {
                int n = Math.min(in.length - i, 1 + r.nextInt(20));
                chunks.write(in, i, n);
                i += n;
            }
            chunks.finish();
            assertThat(two.toByteArray()).as("round %d", round).isEqualTo(one.toByteArray());
        }
    }
}
