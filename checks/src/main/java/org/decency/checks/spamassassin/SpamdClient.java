package org.decency.checks.spamassassin;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.decency.config.Durations;

/**
 * Talks to spamd: one request a connection ({@code SYMBOLS}, {@code REPORT}, {@code TELL},
 * {@code PING}), the mail streamed from its file with its {@code Content-length}.
 *
 * <p>No connection is kept or pooled: spamd's protocol has no way to send a second request
 * over a connection (each side shuts its half down after its part, and spamd closes after
 * its answer), so every request opens its own. spamd's children are preforked, so a
 * connection costs a loopback or unix-socket handshake, not a process.
 *
 * <p>Every request has one deadline ({@code timeout}) for connecting, sending the mail and
 * reading the answer: a watchdog closes the connection when it passes, whatever the thread
 * is blocked in, so a spamd that accepts and never answers (or never reads) costs at most
 * the timeout. Thread-safe: the client holds no state of a request.
 */
final class SpamdClient {
    static final String PROTOCOL = "SPAMC/1.5";
    /** The longest body accepted from spamd: a REPORT of a mail that hit many rules is a few KiB. */
    static final int MAX_ANSWER_BODY = 256 * 1024;

    private static final ScheduledExecutorService WATCHDOG = watchdog();

    /** Where the mail comes from: opened once per request. */
    @FunctionalInterface
    interface Source {
        InputStream open() throws IOException;
    }

    private final SpamdAddress address;
    private final Duration timeout;

    SpamdClient(SpamdAddress address, Duration timeout) {
        this.address = address;
        this.timeout = timeout;
    }

    SpamdAddress address() {
        return address;
    }

    /**
     * Sends {@code method} with {@code headers} (besides Content-length) and the {@code
     * length} bytes of {@code mail} (none when {@code mail} is null), and reads the answer.
     *
     * @throws IOException spamd cannot be reached, did not answer in time, answered with an
     *                     error code or with something that is not its protocol; the message
     *                     says which, without the address
     */
    SpamdReply request(String method, List<Map.Entry<String, String>> headers, Source mail, long length) throws IOException {
        for (Map.Entry<String, String> h : headers) {
            if (!h.getValue().chars().allMatch(c -> c >= 0x20 && c != 0x7f)) {
                throw new BadRequestException("the " + h.getKey() + " header would have control characters: \""
                        + SpamdReply.printable(h.getValue(), 80) + "\"", null);
            }
        }
        AtomicBoolean expired = new AtomicBoolean();
        AtomicReference<SocketChannel> open = new AtomicReference<>();
        ScheduledFuture<?> dog = WATCHDOG.schedule(() -> {
            expired.set(true);
            closeQuietly(open.get());
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        SocketChannel ch = null;
        try {
            ch = address.connect(c -> {
                open.set(c);
                if (expired.get()) closeQuietly(c);
            });
            SpamdReply reply = exchange(ch, method, headers, mail, length);
            if (!reply.ok()) throw new IOException(reply.describe());
            return reply;
        } catch (IOException e) {
            if (expired.get()) throw new IOException("no answer within " + Durations.format(timeout), e);
            if (e instanceof ClosedByInterruptException) throw new IOException("interrupted", e);
            throw e;
        } finally {
            dog.cancel(false);
            closeQuietly(ch);
        }
    }

    private SpamdReply exchange(SocketChannel ch, String method, List<Map.Entry<String, String>> headers, Source mail, long length)
            throws IOException {
        InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 16 * 1024);
        try {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024);
            StringBuilder head = new StringBuilder(method).append(' ').append(PROTOCOL).append("\r\n");
            if (mail != null) head.append("Content-length: ").append(length).append("\r\n");
            for (Map.Entry<String, String> h : headers) head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (mail != null) copy(mail, length, out);
            out.flush();
            ch.shutdownOutput();
        } catch (IOException e) {
            if (e instanceof AsynchronousCloseException || e instanceof BadRequestException) throw e;
            // spamd may have refused the request and closed before reading all of it: its words explain more than "broken pipe"
            SpamdReply refusal = null;
            try {
                refusal = SpamdReply.read(in, MAX_ANSWER_BODY);
            } catch (IOException ignored) {
                // nothing readable: the send error is the story
            }
            if (refusal != null && !refusal.ok()) throw new IOException(refusal.describe(), e);
            throw e;
        }
        return SpamdReply.read(in, MAX_ANSWER_BODY);
    }

    /**
     * Copies exactly {@code length} bytes: spamd trusts Content-length, so a mail that is
     * not as long as announced must not be sent as if it were.
     */
    private static void copy(Source mail, long length, OutputStream out) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long sent = 0;
        InputStream in;
        try {
            in = mail.open();
        } catch (IOException e) {
            throw new BadRequestException("cannot read the mail: " + describe(e), e);
        }
        try (in) {
            while (sent < length) {
                int n = read(in, buf, (int) Math.min(buf.length, length - sent));
                if (n < 0) break;
                out.write(buf, 0, n);
                sent += n;
            }
            if (sent < length || read(in, buf, 1) > 0) {
                throw new BadRequestException("the mail is not " + length + " bytes long as announced (it changed while being sent)", null);
            }
        }
    }

    private static int read(InputStream in, byte[] buf, int max) throws BadRequestException {
        try {
            return in.read(buf, 0, max);
        } catch (IOException e) {
            throw new BadRequestException("cannot read the mail: " + describe(e), e);
        }
    }

    /**
     * The request could not be sent as it must be (the mail unreadable, or not as long as
     * announced; a header value with control characters): our side's failure, not spamd's.
     */
    static final class BadRequestException extends IOException {
        BadRequestException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A short text for an I/O error, for the detail and the log ({@code connection refused}). */
    static String describe(IOException e) {
        if (e instanceof ConnectException) return "connection refused";
        if (e instanceof NoRouteToHostException) return "no route to host";
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : SpamdReply.printable(m, 200);
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException e) {
            // closing is all we wanted
        }
    }

    private static ScheduledExecutorService watchdog() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "spamd-watchdog");
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        return Executors.unconfigurableScheduledExecutorService(s);
    }
}
