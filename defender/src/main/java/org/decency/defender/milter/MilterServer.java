package org.decency.defender.milter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts milter connections and serves each on a thread of its own with a
 * {@link MilterSession} and a fresh {@link MilterHandler}. Postfix opens one milter
 * connection per SMTP connection, so there are as many as it has SMTP sessions; beyond
 * {@code maxConnections} a connection is closed at once and the MTA applies its
 * {@code milter_default_action} to that SMTP session.
 */
public final class MilterServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MilterServer.class);

    /**
     * @param maxPacket   the largest packet accepted (length word)
     * @param idleTimeout a socket silent this long is closed (Postfix keeps its milter socket
     *                    for the whole SMTP session, pauses of the client included)
     */
    public record Settings(String host, int port, int maxConnections, int maxPacket, Duration idleTimeout) {}

    private final Settings settings;
    private final Supplier<MilterHandler> handlers;
    private final Semaphore slots;
    private final Set<SessionInput> open = ConcurrentHashMap.newKeySet();
    private ServerSocket server;
    private Thread acceptor;
    // Platform threads, kept for the next connection: Postfix opens one per SMTP session,
    // and a session is a stream of small packets, each a blocking read (on a virtual
    // thread every one of them went through the poller and a park/unpark).
    private final java.util.concurrent.ExecutorService sessions = java.util.concurrent.Executors.newCachedThreadPool(
            Thread.ofPlatform().name("defender-session").daemon().factory());
    private final ScheduledExecutorService idleWatch = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("defender-idle-watch").daemon().factory());
    private volatile boolean closed;
    private long idleNanos;

    public MilterServer(Settings settings, Supplier<MilterHandler> handlers) {
        this.settings = settings;
        this.handlers = handlers;
        this.slots = new Semaphore(settings.maxConnections());
    }

    public MilterServer start() throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(settings.host(), settings.port()), 1024);
        acceptor = Thread.ofPlatform().name("defender-accept").daemon().start(this::accept);
        idleNanos = settings.idleTimeout().compareTo(Duration.ofDays(36_500)) > 0 ? Duration.ofDays(36_500).toNanos()
                : settings.idleTimeout().toNanos();
        long every = Math.clamp(idleNanos / 4_000_000, 50, 5_000);
        idleWatch.scheduleWithFixedDelay(this::closeIdle, every, every, TimeUnit.MILLISECONDS);
        log.info("defender listening on {}:{} (milter protocol {}, up to {} connections)", settings.host(), port(), Milter.VERSION,
                settings.maxConnections());
        return this;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections being served now. */
    public int connections() {
        return open.size();
    }

    private void accept() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) log.warn("defender: accept failed: {}", e.toString());
                continue;
            }
            if (!slots.tryAcquire()) {
                log.warn("defender: {} connections at once already; {} closed (the MTA applies its milter_default_action)",
                        settings.maxConnections(), s.getRemoteSocketAddress());
                closeQuietly(s);
                continue;
            }
            sessions.execute(() -> serve(s));
        }
    }

    private void serve(Socket s) {
        SessionInput in = null;
        try (s; MilterHandler handler = handlers.get()) {
            s.setTcpNoDelay(true);
            in = new SessionInput(s);
            open.add(in);
            if (closed) return;
            new MilterSession(in, s.getOutputStream(), settings.maxPacket(), handler, String.valueOf(s.getRemoteSocketAddress()),
                    () -> closed).run();
        } catch (IOException | RuntimeException e) {
            log.warn("defender: session with {} failed: {}", s.getRemoteSocketAddress(), e.toString());
        } finally {
            if (in != null) open.remove(in);
            slots.release();
        }
    }

    /** Closes the connections that have been waiting for the MTA's next packet longer than the idle timeout. */
    private void closeIdle() {
        try {
            long now = System.nanoTime();
            for (SessionInput in : open) in.closeIfWaitingSince(now - idleNanos);
        } catch (RuntimeException e) { // a periodic task that throws is never run again
            log.error("defender: closing idle connections failed: {}", e.toString());
        }
    }

    /** Stops accepting and closes every connection (a message in progress is dropped; the MTA applies its default). */
    @Override
    public void close() {
        closed = true;
        try {
            if (server != null) server.close();
        } catch (IOException e) {
            // closing anyway
        }
        if (acceptor != null && Thread.currentThread() != acceptor) {
            try {
                acceptor.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        idleWatch.shutdownNow();
        for (SessionInput in : open) closeQuietly(in.socket);
        sessions.shutdown();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // gone already
        }
    }

    /**
     * The socket's input: blocking reads, timed by {@link #closeIdle} rather than by a socket
     * timeout (with one, every read that has to wait becomes three system calls: a read that
     * finds nothing, a poll, the read again; a milter session waits at nearly every packet).
     *
     * <p>TCP_QUICKACK is set before every read where the system has it (Linux). At the steps
     * agreed as "no reply" Postfix writes packet after packet; with Nagle on its side, each
     * small packet waits for the ACK of the one before, and a delayed ACK here made every mail
     * wait ~40 ms. The kernel leaves quick-ACK mode by itself, hence again at every read.
     */
    private static final class SessionInput extends java.io.FilterInputStream {
        private static final boolean QUICKACK = quickAckSupported();
        private static final long NOT_WAITING = Long.MAX_VALUE;
        private static final long TIMED_OUT = Long.MIN_VALUE;
        final Socket socket;
        /** When the read now waiting began ({@link System#nanoTime}), or one of the two states. */
        private final AtomicLong waitingSince = new AtomicLong(NOT_WAITING);

        SessionInput(Socket s) throws IOException {
            super(s.getInputStream());
            this.socket = s;
        }

        private static boolean quickAckSupported() {
            try (Socket probe = new Socket()) {
                return probe.supportedOptions().contains(jdk.net.ExtendedSocketOptions.TCP_QUICKACK);
            } catch (IOException e) {
                return false;
            }
        }

        /** Closes the socket if its read has been waiting since before {@code before}; a read that returned first wins. */
        void closeIfWaitingSince(long before) {
            long since = waitingSince.get();
            if (since == NOT_WAITING || since == TIMED_OUT || since - before >= 0) return;
            if (waitingSince.compareAndSet(since, TIMED_OUT)) closeQuietly(socket);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long since = System.nanoTime();
            if (!waitingSince.compareAndSet(NOT_WAITING, since)) throw timedOut();
            try {
                if (QUICKACK) socket.setOption(jdk.net.ExtendedSocketOptions.TCP_QUICKACK, true);
                int n = super.read(b, off, len);
                if (!waitingSince.compareAndSet(since, NOT_WAITING)) throw timedOut(); // the watch closed it meanwhile
                return n;
            } catch (IOException e) {
                if (waitingSince.get() == TIMED_OUT) throw timedOut();
                waitingSince.compareAndSet(since, NOT_WAITING);
                throw e;
            }
        }

        private static java.net.SocketTimeoutException timedOut() {
            return new java.net.SocketTimeoutException("nothing heard for longer than the idle timeout");
        }
    }
}
