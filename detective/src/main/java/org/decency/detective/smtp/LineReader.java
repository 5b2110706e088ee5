package org.decency.detective.smtp;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads SMTP lines (CRLF, bare LF tolerated) from a buffered stream, refusing to hold
 * more than a limit: an over-long line is reported as such, its rest skipped, so a client
 * can never make the server buffer without end.
 */
final class LineReader {
    /** A line read: its bytes without the line end, and whether it had to be cut. */
    record Line(byte[] bytes, int length, boolean tooLong) {
        String text() {
            return new String(bytes, 0, length, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final InputStream in;
    private final int max;
    private final byte[] buf;

    LineReader(InputStream in, int max) {
        this.in = in;
        this.max = max;
        this.buf = new byte[max + 1]; // room for the CR of a line exactly max long
    }

    /** The next line, or null at the end of the stream. The returned bytes are reused by the next call. */
    Line next() throws IOException {
        int n = 0;
        boolean tooLong = false;
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                if (n > 0 && buf[n - 1] == '\r' && !tooLong) n--;
                if (n > max) { // max bytes and one more that was no CR
                    n = max;
                    tooLong = true;
                }
                return new Line(buf, n, tooLong);
            }
            if (n <= max) buf[n++] = (byte) c;
            else tooLong = true;
        }
        if (n > max) {
            n = max;
            tooLong = true;
        }
        return n == 0 && !tooLong ? null : new Line(buf, n, tooLong);
    }

    /** True when more input is waiting (so a reply need not be flushed yet: pipelining). */
    boolean more() throws IOException {
        return in.available() > 0;
    }
}
