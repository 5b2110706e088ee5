package org.decency.checks.clamav;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.decency.config.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A clamd client for many scans at once (the Detective checks mails on virtual threads).
 * Connections are clamd sessions ({@link ClamdSession}): after a scan the session goes
 * back to a small pool of idle ones (at most {@link #MAX_IDLE}), and the next scan takes
 * the most recently used one, so a busy Detective needs few connections and a quiet one
 * lets clamd end the rest ({@code IdleTimeout}). A session clamd has closed is noticed
 * before use and dropped; a scan whose connection breaks is tried once more on a new
 * connection before the failure is reported.
 *
 * <p>A scan, both attempts together (connect, send, answer), has nine tenths of the
 * module's {@code timeout}, so that it reports its own failure before the pipeline gives
 * up on it: a watchdog closes the connection when the time is over, which ends a blocked
 * read or write at once, on TCP and on a unix socket alike. A timed-out scan is not tried
 * again.
 */
final class Clamd implements AutoCloseable {
    static final int MAX_IDLE = 16;

    private static final Logger log = LoggerFactory.getLogger(Clamd.class);
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    /** Opens the mail to be scanned; called again for the second attempt. */
    @FunctionalInterface
    interface MailSource {
        InputStream open() throws IOException;
    }

    private final ClamdAddress address;
    private final Duration timeout;
    private final long budgetNanos;
    private final ArrayDeque<ClamdSession> idle = new ArrayDeque<>();
    private final AtomicLong opened = new AtomicLong();
    private boolean closed;

    Clamd(ClamdAddress address, Duration timeout) {
        this.address = address;
        this.timeout = timeout;
        this.budgetNanos = timeout.toNanos() / 10 * 9;
    }

    ClamdAddress address() {
        return address;
    }

    /** Connections opened so far. */
    long connectionsOpened() {
        return opened.get();
    }

    /** Idle sessions in the pool now. */
    synchronized int idleSessions() {
        return idle.size();
    }

    /**
     * Scans the mail. An ERROR answer (e.g. the mail is longer than clamd's {@code
     * StreamMaxLength}) is returned, not thrown.
     *
     * @throws IOException when clamd cannot be reached, breaks the connection twice, times
     *                     out or answers nonsense; the message says which
     */
    ClamdReply scan(MailSource mail) throws IOException {
        long deadline = System.nanoTime() + budgetNanos;
        try {
            return attempt(takeIdle(), mail, deadline);
        } catch (IOException first) {
            if (!worthAnotherTry(first)) throw first;
            log.debug("clamd {}: {}; trying once more on a new connection", address, describe(first));
            try {
                return attempt(null, mail, deadline);
            } catch (IOException second) {
                second.addSuppressed(first);
                throw second;
            }
        }
    }

    private static boolean worthAnotherTry(IOException e) {
        return !(e instanceof SocketTimeoutException || e instanceof ClosedByInterruptException || e instanceof ClamdSession.MailUnreadable)
                && !Thread.currentThread().isInterrupted();
    }

    /** One scan on {@code session}, or on a new connection when it is null, ended at {@code deadline} ({@link System#nanoTime}). */
    private ClamdReply attempt(ClamdSession session, MailSource mail, long deadline) throws IOException {
        Watch watch = new Watch(WATCHDOG, deadline - System.nanoTime());
        boolean keep = false;
        boolean used = false;
        try (InputStream in = open(mail)) {
            if (session == null) {
                session = connect(watch);
            } else {
                watch.guard(session.channel());
            }
            used = true;
            ClamdReply reply = session.scan(in);
            keep = reply.kind() != ClamdReply.Kind.ERROR;
            return reply;
        } catch (IOException e) {
            if (!watch.fired()) throw e;
            SocketTimeoutException t = new SocketTimeoutException("no answer in time (timeout " + Durations.format(timeout) + ")");
            t.initCause(e);
            throw t;
        } finally {
            watch.disarm();
            if (session != null) {
                if ((keep || !used) && !watch.fired()) release(session); // an idle session the mail never reached stays usable
                else session.close();
            }
        }
    }

    private static InputStream open(MailSource mail) throws IOException {
        try {
            return mail.open();
        } catch (IOException e) {
            throw new ClamdSession.MailUnreadable(e);
        }
    }

    private ClamdSession connect(Watch watch) throws IOException {
        SocketChannel ch = address.newChannel();
        watch.guard(ch);
        try {
            address.connect(ch);
            opened.incrementAndGet();
            return new ClamdSession(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The most recently used idle session that clamd has not closed, or null. */
    private ClamdSession takeIdle() {
        while (true) {
            ClamdSession s;
            synchronized (this) {
                s = idle.pollFirst();
            }
            if (s == null) return null;
            if (s.stillOpen()) return s;
            log.debug("clamd {}: an idle session was closed by clamd; dropped", address);
            s.close();
        }
    }

    private void release(ClamdSession s) {
        synchronized (this) {
            if (!closed && idle.size() < MAX_IDLE) {
                idle.addFirst(s);
                return;
            }
        }
        s.end();
    }

    /** Ends the idle sessions; scans still running finish, and their sessions are ended then. */
    @Override
    public void close() {
        List<ClamdSession> ending;
        synchronized (this) {
            closed = true;
            ending = new ArrayList<>(idle);
            idle.clear();
        }
        ending.forEach(ClamdSession::end);
    }

    /** A short text for what went wrong, for a log line and a score detail. */
    static String describe(IOException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) m = e.getClass().getSimpleName();
        return ClamdReply.printable(m);
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("clamd-watchdog").factory());
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /** Closes the watched connection when the time is over, which ends any read or write on it. */
    private static final class Watch {
        private final ScheduledFuture<?> task;
        private volatile SocketChannel channel;
        private volatile boolean fired;

        Watch(ScheduledThreadPoolExecutor timer, long nanos) {
            this.task = timer.schedule(this::fire, Math.max(0, nanos), TimeUnit.NANOSECONDS);
        }

        void guard(SocketChannel ch) {
            channel = ch;
            if (fired) closeQuietly(ch);
        }

        private void fire() {
            fired = true;
            SocketChannel ch = channel;
            if (ch != null) closeQuietly(ch);
        }

        boolean fired() {
            return fired;
        }

        void disarm() {
            task.cancel(false);
        }

        private static void closeQuietly(SocketChannel ch) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // the scan sees the closed channel
            }
        }
    }
}
