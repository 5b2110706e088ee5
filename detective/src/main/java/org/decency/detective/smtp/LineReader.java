package org.decency.detective.smtp;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads SMTP lines (CRLF, bare LF tolerated) from a socket stream, refusing to hold more
 * than a limit: an over-long line is reported as such, its rest skipped, so a client can
 * never make the server buffer without end. Keeps its own buffer and scans it in bulk:
 * a mail's DATA passes through here line by line.
 */
final class LineReader {
    /**
     * A line read: its bytes without the line end, and whether it had to be cut. The
     * array has room for two more bytes after {@code length}: see {@link #withCrlf}.
     */
    record Line(byte[] bytes, int length, boolean tooLong) {
        String text() {
            return new String(bytes, 0, length, java.nio.charset.StandardCharsets.UTF_8);
        }

        /** Puts CRLF after the line in its array; returns the length with it. */
        int withCrlf() {
            bytes[length] = '\r';
            bytes[length + 1] = '\n';
            return length + 2;
        }
    }

    private final InputStream in;
    private final int max;
    private final byte[] line;
    private final byte[] buf = new byte[65536];
    private int pos;
    private int limit;

    LineReader(InputStream in, int max) {
        this.in = in;
        this.max = max;
        this.line = new byte[max + 3]; // the CR of a line exactly max long, or CRLF after it
    }

    /** The next line, or null at the end of the stream. The returned bytes are reused by the next call. */
    Line next() throws IOException {
        int n = 0; // bytes of the line kept, at most max + 1
        boolean cut = false;
        while (true) {
            if (pos == limit && !fill()) {
                if (n > max) {
                    n = max;
                    cut = true;
                }
                return n == 0 && !cut ? null : new Line(line, n, cut);
            }
            int start = pos;
            int end = start;
            while (end < limit && buf[end] != '\n') end++;
            int take = Math.min(end - start, max + 1 - n);
            if (take > 0) {
                System.arraycopy(buf, start, line, n, take);
                n += take;
            }
            if (end - start > take) cut = true;
            if (end == limit) {
                pos = limit;
                continue;
            }
            pos = end + 1;
            if (n > 0 && line[n - 1] == '\r' && !cut) n--;
            if (n > max) { // max bytes and one more that was no CR
                n = max;
                cut = true;
            }
            return new Line(line, n, cut);
        }
    }

    private boolean fill() throws IOException {
        int r = in.read(buf, 0, buf.length);
        if (r <= 0) return false;
        pos = 0;
        limit = r;
        return true;
    }

    /** True when more input is waiting (so a reply need not be flushed yet: pipelining). */
    boolean more() throws IOException {
        return pos < limit || in.available() > 0;
    }
}
