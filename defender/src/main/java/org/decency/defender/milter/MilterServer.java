package org.decency.defender.milter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.decency.net.UnixSocketFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts milter connections, on TCP or on a unix-domain socket, and serves each on a
 * thread of its own with a {@link MilterSession} and a fresh {@link MilterHandler}. Postfix opens one milter
 * connection per SMTP connection, so there are as many as it has SMTP sessions; beyond
 * {@code maxConnections} a connection is closed at once and the MTA applies its
 * {@code milter_default_action} to that SMTP session.
 */
public final class MilterServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MilterServer.class);

    /**
     * @param host        the TCP address listened on (when {@code socket} is null)
     * @param socket      a unix-domain socket to listen on instead of TCP ({@code smtpd_milters =
     *                    unix:/path}), or null
     * @param socketMode  the socket file's permissions (the MTA's user must be able to write it); null: the umask's
     * @param maxPacket   the largest packet accepted (length word)
     * @param idleTimeout a socket silent this long is closed (Postfix keeps its milter socket
     *                    for the whole SMTP session, pauses of the client included)
     */
    public record Settings(String host, int port, Path socket, Set<PosixFilePermission> socketMode, int maxConnections, int maxPacket,
                           Duration idleTimeout) {
        public Settings(String host, int port, int maxConnections, int maxPacket, Duration idleTimeout) {
            this(host, port, null, null, maxConnections, maxPacket, idleTimeout);
        }
    }

    private final Settings settings;
    private final Supplier<MilterHandler> handlers;
    private final Semaphore slots;
    private final Set<SessionInput> open = ConcurrentHashMap.newKeySet();
    private ServerSocketChannel server;
    private UnixSocketFile.Bound socketFile;
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
        if (settings.socket() != null) {
            socketFile = UnixSocketFile.listen(settings.socket(), settings.socketMode(), 1024);
            server = socketFile.channel();
        } else {
            server = listenTcp();
        }
        acceptor = Thread.ofPlatform().name("defender-accept").daemon().start(this::accept);
        idleNanos = settings.idleTimeout().compareTo(Duration.ofDays(36_500)) > 0 ? Duration.ofDays(36_500).toNanos()
                : settings.idleTimeout().toNanos();
        long every = Math.clamp(idleNanos / 4_000_000, 50, 5_000);
        idleWatch.scheduleWithFixedDelay(this::closeIdle, every, every, TimeUnit.MILLISECONDS);
        log.info("defender listening on {} (milter protocol {}, up to {} connections)", address(), Milter.VERSION,
                settings.maxConnections());
        return this;
    }

    private ServerSocketChannel listenTcp() throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open();
        try {
            s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            s.bind(new InetSocketAddress(settings.host(), settings.port()), 1024);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** The TCP port listened on; -1 on a unix-domain socket. */
    public int port() {
        return settings.socket() != null ? -1 : ((InetSocketAddress) localAddress()).getPort();
    }

    /** Where Postfix is to connect, as {@code smtpd_milters} writes it: {@code inet:host:port} or {@code unix:/path}. */
    public String address() {
        return settings.socket() != null ? "unix:" + settings.socket() : "inet:" + settings.host() + ":" + port();
    }

    private SocketAddress localAddress() {
        try {
            return server.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connections being served now. */
    public int connections() {
        return open.size();
    }

    private void accept() {
        while (!closed) {
            SocketChannel s;
            try {
                s = server.accept();
            } catch (ClosedChannelException e) {
                if (!closed) log.error("defender: the listening socket {} was closed; no more connections are taken", address());
                return;
            } catch (IOException e) {
                if (!closed) log.warn("defender: accept failed: {}", e.toString());
                continue;
            }
            if (!slots.tryAcquire()) {
                log.warn("defender: {} connections at once already; {} closed (the MTA applies its milter_default_action)",
                        settings.maxConnections(), peer(s));
                closeQuietly(s);
                continue;
            }
            sessions.execute(() -> serve(s));
        }
    }

    private void serve(SocketChannel s) {
        SessionInput in = null;
        String peer = peer(s);
        try (s; MilterHandler handler = handlers.get()) {
            boolean tcp = s.getLocalAddress() instanceof InetSocketAddress;
            if (tcp) s.setOption(StandardSocketOptions.TCP_NODELAY, true);
            in = new SessionInput(s, tcp);
            open.add(in);
            if (closed) return;
            new MilterSession(in, Channels.newOutputStream(s), settings.maxPacket(), handler, peer, () -> closed).run();
        } catch (IOException | RuntimeException e) {
            log.warn("defender: session with {} failed: {}", peer, e.toString());
        } finally {
            if (in != null) open.remove(in);
            slots.release();
        }
    }

    /** The MTA's address (TCP), or the socket's path (a unix-domain peer has no name of its own). */
    private String peer(SocketChannel s) {
        try {
            return s.getRemoteAddress() instanceof InetSocketAddress a ? String.valueOf(a) : address();
        } catch (IOException e) {
            return address();
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
            // the file first: a Defender started meanwhile must not find it refusing and take it over, only to lose it then
            if (socketFile != null) socketFile.close();
            else if (server != null) server.close();
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
        for (SessionInput in : open) closeQuietly(in.channel);
        sessions.shutdown();
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException e) {
            // gone already
        }
    }

    /**
     * The socket's input: blocking reads, timed by {@link #closeIdle} rather than by a socket
     * timeout (with one, every read that has to wait becomes three system calls: a read that
     * finds nothing, a poll, the read again; a milter session waits at nearly every packet).
     *
     * <p>On TCP, TCP_QUICKACK is set before every read where the system has it (Linux). At the
     * steps agreed as "no reply" Postfix writes packet after packet; with Nagle on its side, each
     * small packet waits for the ACK of the one before, and a delayed ACK here made every mail
     * wait ~40 ms. The kernel leaves quick-ACK mode by itself, hence again at every read. A
     * unix-domain socket has neither.
     */
    private static final class SessionInput extends java.io.FilterInputStream {
        private static final boolean QUICKACK = quickAckSupported();
        private static final long NOT_WAITING = Long.MAX_VALUE;
        private static final long TIMED_OUT = Long.MIN_VALUE;
        final SocketChannel channel;
        private final boolean quickAck;
        /** When the read now waiting began ({@link System#nanoTime}), or one of the two states. */
        private final AtomicLong waitingSince = new AtomicLong(NOT_WAITING);

        SessionInput(SocketChannel s, boolean tcp) {
            super(Channels.newInputStream(s));
            this.channel = s;
            this.quickAck = tcp && QUICKACK;
        }

        private static boolean quickAckSupported() {
            try (SocketChannel probe = SocketChannel.open()) {
                return probe.supportedOptions().contains(jdk.net.ExtendedSocketOptions.TCP_QUICKACK);
            } catch (IOException e) {
                return false;
            }
        }

        /** Closes the socket if its read has been waiting since before {@code before}; a read that returned first wins. */
        void closeIfWaitingSince(long before) {
            long since = waitingSince.get();
            if (since == NOT_WAITING || since == TIMED_OUT || since - before >= 0) return;
            if (waitingSince.compareAndSet(since, TIMED_OUT)) closeQuietly(channel);
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
                if (quickAck) channel.setOption(jdk.net.ExtendedSocketOptions.TCP_QUICKACK, true);
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
