package org.decency.detective.reinject;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a mail as SMTP DATA wants it: every line ended by CRLF (a bare LF or CR becomes
 * CRLF) and a dot at the start of a line doubled; {@link #finish()} ends the data with
 * {@code CRLF.CRLF}.
 */
final class DotStuffing extends FilterOutputStream {
    private boolean lineStart = true;
    private boolean lastCr;

    DotStuffing(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        if (b == '\n') {
            if (!lastCr) out.write('\r');
            out.write('\n');
            lineStart = true;
            lastCr = false;
            return;
        }
        if (lastCr) { // a bare CR: end the line
            out.write('\n');
            lineStart = true;
        }
        if (b == '\r') {
            out.write('\r');
            lastCr = true;
            return;
        }
        lastCr = false;
        if (lineStart && b == '.') out.write('.');
        lineStart = false;
        out.write(b);
    }

    /** Runs of ordinary bytes go out in one piece; only line ends and a dot at a line start are looked at. */
    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int i = off;
        while (i < end) {
            if (lastCr || lineStart) {
                write(b[i++]);
                continue;
            }
            int run = i;
            while (run < end && b[run] != '\r' && b[run] != '\n') run++;
            if (run > i) {
                out.write(b, i, run - i);
                i = run;
            }
            if (i < end) write(b[i++]);
        }
    }

    /** Ends the last line (if open) and the data. */
    void finish() throws IOException {
        if (lastCr) {
            out.write('\n');
            lineStart = true;
            lastCr = false;
        }
        if (!lineStart) out.write(new byte[] {'\r', '\n'});
        out.write(new byte[] {'.', '\r', '\n'});
        out.flush();
    }
}
