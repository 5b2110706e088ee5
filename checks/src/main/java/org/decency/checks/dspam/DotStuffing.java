package org.decency.checks.dspam;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The body of an LMTP DATA command (RFC 2033, as SMTP's RFC 5321 section 4.5.2): each
 * line ends in CRLF (a bare LF or a bare CR becomes CRLF), a line that starts with a dot
 * gets a second dot, and {@link #finish()} closes the last line and sends the lone dot
 * that ends the data. The checks module has its own copy because it cannot use the
 * Detective's.
 */
final class DotStuffing extends FilterOutputStream {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] END = {'.', '\r', '\n'};

    /** The next byte starts a line. */
    private boolean atLineStart = true;
    /** The last byte was a CR whose LF has not been seen yet. */
    private boolean afterCr;

    DotStuffing(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        if (afterCr) {
            afterCr = false;
            out.write('\n');
            atLineStart = true;
            if (b == '\n') return; // the CR's own LF
        }
        switch (b) {
            case '\r' -> {
                out.write('\r');
                afterCr = true;
            }
            case '\n' -> {
                out.write(CRLF);
                atLineStart = true;
            }
            default -> {
                if (atLineStart && b == '.') out.write('.');
                atLineStart = false;
                out.write(b);
            }
        }
    }

    /** Passes runs of ordinary bytes in one piece; only line ends and line starts go byte by byte. */
    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int i = off;
        while (i < end) {
            if (afterCr || atLineStart) {
                write(b[i++] & 0xff);
                continue;
            }
            int run = i;
            while (run < end && b[run] != '\r' && b[run] != '\n') run++;
            out.write(b, i, run - i);
            i = run;
            if (i < end) write(b[i++] & 0xff);
        }
    }

    /** Ends an open last line with CRLF, then the data with {@code .CRLF}, and flushes. Does not close the stream. */
    void finish() throws IOException {
        if (afterCr) {
            afterCr = false;
            out.write('\n');
            atLineStart = true;
        }
        if (!atLineStart) out.write(CRLF);
        out.write(END);
        atLineStart = true;
        out.flush();
    }

    /** Flushes but leaves the connection open: the stream under it belongs to the LMTP connection. */
    @Override
    public void close() throws IOException {
        flush();
    }
}
