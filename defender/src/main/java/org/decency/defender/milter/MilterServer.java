package org.decency.defender.milter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts milter connections and serves each on a virtual thread of its own with a
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
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private ServerSocket server;
    private Thread acceptor;
    // Platform threads, kept for the next connection: Postfix opens one per SMTP session,
    // and a session is a stream of small packets, each a blocking read (on a virtual
    // thread every one of them went through the poller and a park/unpark).
    private final java.util.concurrent.ExecutorService sessions = java.util.concurrent.Executors.newCachedThreadPool(
            Thread.ofPlatform().name("defender-session").daemon().factory());
    private volatile boolean closed;

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
            open.add(s);
            sessions.execute(() -> serve(s));
        }
    }

    private void serve(Socket s) {
        try (s; MilterHandler handler = handlers.get()) {
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, settings.idleTimeout().toMillis()));
            s.setTcpNoDelay(true);
            new MilterSession(new QuickAck(s),  s.getOutputStream(), settings.maxPacket(), handler,
                    String.valueOf(s.getRemoteSocketAddress()), () -> closed).run();
        } catch (IOException | RuntimeException e) {
            log.warn("defender: session with {} failed: {}", s.getRemoteSocketAddress(), e.toString());
        } finally {
            open.remove(s);
            slots.release();
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
        for (Socket s : open) closeQuietly(s);
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
     * The socket's input, with TCP_QUICKACK set before every read where the system has it
     * (Linux). At the steps agreed as "no reply" Postfix writes packet after packet; with
     * Nagle on its side, each small packet waits for the ACK of the one before, and a
     * delayed ACK here made every mail wait ~40 ms. The kernel leaves quick-ACK mode by
     * itself, hence again at every read.
     */
    private static final class QuickAck extends java.io.FilterInputStream {
        private static final boolean SUPPORTED = supported();
        private final Socket socket;

        QuickAck(Socket s) throws IOException {
            super(s.getInputStream());
            this.socket = s;
        }

        private static boolean supported() {
            try (Socket probe = new Socket()) {
                return probe.supportedOptions().contains(jdk.net.ExtendedSocketOptions.TCP_QUICKACK);
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (SUPPORTED) socket.setOption(jdk.net.ExtendedSocketOptions.TCP_QUICKACK, true);
            return super.read(b, off, len);
        }
    }
}
