package org.decency.checks.clamav;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One connection to clamd in session mode ({@code zIDSESSION}): it serves one scan after
 * the other, each answered as {@code <n>: <answer>} with the scan's number in the session.
 * A mail is sent with {@code zINSTREAM}: chunks of at most {@link #CHUNK} bytes, each after
 * its length as 4 bytes in network order, then a length of 0; the mail is read as it is
 * sent, never held whole in memory. Not thread-safe: the {@link Clamd} pool hands a session
 * to one scan at a time.
 */
final class ClamdSession {
    static final int CHUNK = 64 * 1024;
    private static final int MAX_REPLY = 4096;
    private static final byte[] IDSESSION = "zIDSESSION\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INSTREAM = "zINSTREAM\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "zEND\0".getBytes(StandardCharsets.US_ASCII);

    /** The mail could not be read from the spool: not clamd's fault, and asking again would not help. */
    static final class MailUnreadable extends IOException {
        MailUnreadable(IOException cause) {
            super("cannot read the mail: " + cause.getMessage(), cause);
        }
    }

    private final SocketChannel channel;
    private int requests;

    /** Wraps a connected channel and starts the session (IDSESSION has no answer of its own). */
    ClamdSession(SocketChannel channel) throws IOException {
        this.channel = channel;
        writeFully(ByteBuffer.wrap(IDSESSION));
    }

    SocketChannel channel() {
        return channel;
    }

    /**
     * Scans {@code mail}. An answer of ERROR that comes while the mail is still being sent
     * (clamd stops reading at its {@code StreamMaxLength} and closes the connection) is
     * returned as such; any other broken connection is an exception.
     */
    ClamdReply scan(InputStream mail) throws IOException {
        int request = ++requests;
        ByteBuffer out = ByteBuffer.allocate(INSTREAM.length + 4 + CHUNK + 4);
        out.put(INSTREAM);
        IOException sendFailed = null;
        while (true) {
            int at = out.position() + 4;
            int n;
            try {
                n = mail.readNBytes(out.array(), at, CHUNK);
            } catch (IOException e) {
                throw new MailUnreadable(e);
            }
            if (n > 0) {
                out.putInt(n);
                out.position(at + n);
            }
            boolean last = n < CHUNK;
            if (last) out.putInt(0);
            out.flip();
            try {
                writeFully(out);
            } catch (IOException e) {
                sendFailed = e;
                break;
            }
            out.clear();
            if (last) break;
        }
        String answer;
        try {
            answer = readReply();
        } catch (IOException e) {
            if (sendFailed == null) throw e;
            sendFailed.addSuppressed(e);
            throw sendFailed;
        }
        ClamdReply reply = ClamdReply.parse(answer, request);
        // a verdict over a mail clamd did not get whole is not believed; its ERROR is
        if (sendFailed != null && reply.kind() != ClamdReply.Kind.ERROR) throw sendFailed;
        return reply;
    }

    /** The answer up to its NUL terminator. */
    private String readReply() throws IOException {
        ByteBuffer in = ByteBuffer.allocate(MAX_REPLY);
        int searched = 0;
        while (true) {
            if (channel.read(in) < 0) {
                String got = text(in.array(), in.position()).strip();
                throw new EOFException("clamd closed the connection" + (got.isEmpty() ? "" : " after \"" + ClamdReply.printable(got) + "\""));
            }
            for (int i = searched; i < in.position(); i++) if (in.get(i) == 0) return text(in.array(), i);
            searched = in.position();
            if (!in.hasRemaining()) throw new IOException("clamd's answer is longer than " + MAX_REPLY + " bytes");
        }
    }

    private static String text(byte[] b, int len) {
        return new String(b, 0, len, StandardCharsets.ISO_8859_1);
    }

    /**
     * True when the idle session looks usable: clamd has sent nothing (it says {@code
     * COMMAND READ TIMED OUT} and closes when its {@code IdleTimeout} ends a session) and
     * not closed it. Looks without waiting.
     */
    boolean stillOpen() {
        if (!channel.isOpen()) return false;
        try {
            channel.configureBlocking(false);
            int n = channel.read(ByteBuffer.allocate(1));
            channel.configureBlocking(true);
            return n == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Ends the session politely ({@code zEND}) and closes the connection. */
    void end() {
        try {
            if (channel.isOpen() && channel.isBlocking()) channel.write(ByteBuffer.wrap(END));
        } catch (IOException ignored) {
            // closing anyway
        }
        close();
    }

    void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) channel.write(b);
    }
}
