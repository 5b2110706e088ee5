package org.decency.detective.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import org.decency.detective.spool.Spool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts SMTP/LMTP connections and serves each on a virtual thread of its own
 * ({@link SmtpSession}): a content filter has a few dozen connections from Postfix at
 * most, and a blocking session reads as the protocol does, one step after the other.
 * At most {@code instances} sessions run at once; one more is told 421.
 */
public final class SmtpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);

    private final SmtpServerSettings settings;
    private final Spool spool;
    private final MailSink sink;
    private final Semaphore slots;
    private ServerSocket server;
    private Thread acceptor;
    private volatile boolean closed;

    public SmtpServer(SmtpServerSettings settings, Spool spool, MailSink sink) {
        this.settings = settings;
        this.spool = spool;
        this.sink = sink;
        this.slots = new Semaphore(settings.instances());
    }

    public SmtpServer start() throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(settings.host(), settings.port()), 1024);
        acceptor = Thread.ofPlatform().name("detective-accept").daemon().start(this::accept);
        log.info("detective listening on {}:{} ({}, up to {} sessions)", settings.host(), port(),
                settings.lmtp() ? "LMTP" : "SMTP", settings.instances());
        return this;
    }

    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) log.warn("detective: accept failed: {}", e.toString());
                continue;
            }
            if (!slots.tryAcquire()) {
                refuse(s);
                continue;
            }
            Thread.ofVirtual().name("detective-session").start(() -> {
                try {
                    new SmtpSession(s, settings, spool, sink).run();
                } finally {
                    slots.release();
                }
            });
        }
    }

    private static void refuse(Socket s) {
        log.warn("detective: too many sessions; {} told 421", s.getRemoteSocketAddress());
        try (s; OutputStream o = s.getOutputStream()) {
            o.write("421 4.3.2 Too many connections, try again later\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // gone already
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (server != null) server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
