package org.decency.detective.spool;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Where a mail being received goes: the spool file, through a buffer of its own (no lock
 * per write: a mail arrives line by line), and a copy in memory while the mail is no
 * bigger than {@code copyMax}, so the checks that read it again and again need not go
 * back to the file.
 */
final class SpoolOutput extends OutputStream {
    private final OutputStream file;
    private final byte[] buf = new byte[65536];
    private int used;
    private final int copyMax;
    private byte[] copy = new byte[8192];
    private int copied;

    SpoolOutput(OutputStream file, int copyMax) {
        this.file = file;
        this.copyMax = copyMax;
    }

    /** Bytes for the file only (the envelope before the mail). */
    void writeFileOnly(byte[] b) throws IOException {
        toFile(b, 0, b.length);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (copy != null) {
            if (copied + len > copyMax) {
                copy = null; // too big to keep in memory: the checks read the file
            } else {
                if (copied + len > copy.length) copy = Arrays.copyOf(copy, Math.min(copyMax, Math.max(copy.length * 2, copied + len)));
                System.arraycopy(b, off, copy, copied, len);
                copied += len;
            }
        }
        toFile(b, off, len);
    }

    private void toFile(byte[] b, int off, int len) throws IOException {
        if (len > buf.length - used) {
            flushBuffer();
            if (len >= buf.length) {
                file.write(b, off, len);
                return;
            }
        }
        System.arraycopy(b, off, buf, used, len);
        used += len;
    }

    private void flushBuffer() throws IOException {
        if (used > 0) file.write(buf, 0, used);
        used = 0;
    }

    @Override
    public void flush() throws IOException {
        flushBuffer();
        file.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            flushBuffer();
        } finally {
            file.close();
        }
    }

    /** The mail's bytes when it was small enough to be kept in memory, else null. */
    byte[] copy() {
        return copy == null ? null : Arrays.copyOf(copy, copied);
    }
}
