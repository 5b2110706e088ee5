package org.decency.detective.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LineReaderTest {

    /** Hands out at most {@code chunk} bytes a read, so lines cross the reader's buffer fills. */
    static InputStream chunked(String text, int chunk) {
        ByteArrayInputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
        return new InputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, Math.min(len, chunk));
            }
        };
    }

    static List<String> lines(String text, int max, int chunk) throws IOException {
        LineReader r = new LineReader(chunked(text, chunk), max);
        List<String> out = new ArrayList<>();
        LineReader.Line l;
        while ((l = r.next()) != null) out.add((l.tooLong() ? "CUT:" : "") + new String(l.bytes(), 0, l.length(), StandardCharsets.ISO_8859_1));
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 65536})
    void linesEndWithCrlfOrBareLfWhereverTheReadsEnd(int chunk) throws IOException {
        assertThat(lines("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\nDATA\r\n\r\n.\r\nlast", 100, chunk))
                .containsExactly("MAIL FROM:<a@b>", "RCPT TO:<c@d>", "DATA", "", ".", "last");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 65536})
    void aLineOfExactlyTheLimitIsWholeOneMoreIsCut(int chunk) throws IOException {
        assertThat(lines("12345\r\n123456\r\n1234567890\r\nok\r\n", 5, chunk))
                .containsExactly("12345", "CUT:12345", "CUT:12345", "ok");
        assertThat(lines("12345\n", 5, chunk)).containsExactly("12345");
        assertThat(lines("123456", 5, chunk)).containsExactly("CUT:12345");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 65536})
    void aCrInsideALineStaysAndCrlfCanBeAppended(int chunk) throws IOException {
        LineReader r = new LineReader(chunked("a\rb\r\n", chunk), 10);
        LineReader.Line l = r.next();
        assertThat(l.length()).isEqualTo(3);
        int n = l.withCrlf();
        assertThat(new String(l.bytes(), 0, n, StandardCharsets.ISO_8859_1)).isEqualTo("a\rb\r\n");
        assertThat(r.next()).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 65536})
    void aLongLineAtTheLimitHasRoomForItsCrlf(int chunk) throws IOException {
        LineReader r = new LineReader(chunked("x".repeat(1000) + "\r\n", chunk), 10);
        LineReader.Line l = r.next();
        assertThat(l.tooLong()).isTrue();
        assertThat(l.withCrlf()).isEqualTo(12);
    }

    @org.junit.jupiter.api.Test
    void moreSeesWhatIsAlreadyBuffered() throws IOException {
        LineReader r = new LineReader(chunked("A\r\nB\r\n", 65536), 10);
        r.next();
        assertThat(r.more()).isTrue();
        r.next();
        assertThat(r.more()).isFalse();
    }
}
