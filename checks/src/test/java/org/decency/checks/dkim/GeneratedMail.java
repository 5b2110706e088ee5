package org.decency.checks.dkim;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A mail of any size made up while it is read: a short header, then numbered body lines
 * until {@code size} bytes. Nothing of it is ever held whole, so reading it through the
 * verifier shows the verifier streams.
 */
final class GeneratedMail extends InputStream {
    private static final byte[] HEADER = TestMails.crlf("""
            From: Alice <alice@example.com>
            To: bob@example.org
            Subject: a big one
            Date: Mon, 23 Nov 2026 10:00:00 +0000
            Message-ID: <big@example.com>

            """);

    private final long size;
    private long position;
    private byte[] line = HEADER;
    private int inLine;
    private long lineNumber;

    GeneratedMail(long size) {
        this.size = size;
    }

    @Override
    public int read() {
        if (position >= size) return -1;
        if (inLine == line.length) {
            line = ("line " + lineNumber++ + " of a big mail,  with some\ttext   to canonicalize  \r\n").getBytes(StandardCharsets.US_ASCII);
            inLine = 0;
        }
        position++;
        return line[inLine++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= size) return -1;
        int n = 0;
        while (n < len) {
            int c = read();
            if (c < 0) break;
            b[off + n++] = (byte) c;
        }
        return n;
    }
}
