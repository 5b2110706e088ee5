package org.decency.checks.dkim;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Body canonicalization (RFC 6376 3.4.3 and 3.4.4) as a stream: the raw body is written in
 * (in any chunks), the canonical body comes out into {@code out}; nothing but a few
 * held-back empty lines is ever kept, so a body of any size passes in constant memory.
 * Line ends become CRLF (a bare LF too). Simple drops the empty lines at the end and makes
 * an empty body one CRLF; relaxed also drops the blanks at line ends and turns every run
 * of blanks into one space, and leaves an empty body empty. A last line without line end
 * gets one. Call {@link #close} (or {@link #finish}) at the end of the body.
 */
public final class BodyCanonicalizer extends OutputStream {
    private static final byte[] CRLF = {'\r', '\n'};

    private final boolean relaxed;
    private final OutputStream out;
    private final byte[] buffer = new byte[8192];
    private int buffered;
    private long emptyLines;
    private boolean lineHasContent;
    private boolean blank;
    private boolean cr;
    private boolean anything;
    private boolean finished;

    public BodyCanonicalizer(Canonicalization c, OutputStream out) {
        this.relaxed = c == Canonicalization.RELAXED;
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        b &= 0xff;
        if (cr) {
            cr = false;
            if (b == '\n') {
                endLine();
                return;
            }
            content('\r');
        }
        if (b == '\r') {
            cr = true;
        } else if (b == '\n') {
            endLine();
        } else if (relaxed && (b == ' ' || b == '\t')) {
            blank = true;
        } else {
            content(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) write(b[i]);
    }

    private void content(int b) throws IOException {
        if (!lineHasContent) {
            for (; emptyLines > 0; emptyLines--) emit(CRLF);
            lineHasContent = true;
        }
        if (blank) {
            emit(' ');
            blank = false;
        }
        emit(b);
    }

    private void endLine() throws IOException {
        blank = false;
        if (lineHasContent) {
            emit(CRLF);
            lineHasContent = false;
        } else {
            emptyLines++;
        }
    }

    /** Ends the body: adds a missing last line end, drops trailing empty lines, flushes. */
    public void finish() throws IOException {
        if (finished) return;
        finished = true;
        if (cr) {
            cr = false;
            content('\r');
        }
        blank = false;
        if (lineHasContent) emit(CRLF);
        if (!anything && !relaxed) emit(CRLF);
        flushBuffer();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        finish();
        out.close();
    }

    private void emit(byte[] bytes) throws IOException {
        for (byte b : bytes) emit(b);
    }

    private void emit(int b) throws IOException {
        anything = true;
        if (buffered == buffer.length) flushBuffer();
        buffer[buffered++] = (byte) b;
    }

    private void flushBuffer() throws IOException {
        if (buffered > 0) out.write(buffer, 0, buffered);
        buffered = 0;
    }
}
