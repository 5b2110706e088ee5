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

    private final String name;
    private final SmtpServerSettings settings;
    private final Spool spool;
    private final MailSink sink;
    private final EnvelopeGate gate;
    private final Semaphore slots;
    private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private ServerSocket server;
    private Thread acceptor;
    private volatile boolean closed;

    public SmtpServer(SmtpServerSettings settings, Spool spool, MailSink sink) {
        this(settings, spool, sink, EnvelopeGate.OPEN);
    }

    /** @param gate asked at MAIL and RCPT (a before-queue proxy's envelope checks) */
    public SmtpServer(SmtpServerSettings settings, Spool spool, MailSink sink, EnvelopeGate gate) {
        this("detective", settings, spool, sink, gate);
    }

    /** @param name the server's name in its log lines and threads ({@code defender} for the before-queue proxy) */
    public SmtpServer(String name, SmtpServerSettings settings, Spool spool, MailSink sink, EnvelopeGate gate) {
        this.name = name;
        this.settings = settings;
        this.spool = spool;
        this.sink = sink;
        this.gate = gate;
        this.slots = new Semaphore(settings.instances());
    }

    public SmtpServer start() throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(settings.host(), settings.port()), 1024);
        acceptor = Thread.ofPlatform().name(name + "-accept").daemon().start(this::accept);
        log.info("{} listening on {}:{} ({}, up to {} sessions)", name, settings.host(), port(),
                settings.lmtp() ? "LMTP" : "SMTP", settings.instances());
        return this;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Sessions being served now. */
    public int sessions() {
        return open.size();
    }

    private void accept() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) log.warn("{}: accept failed: {}", name, e.toString());
                continue;
            }
            if (!slots.tryAcquire()) {
                refuse(name, s);
                continue;
            }
            open.add(s);
            Thread.ofVirtual().name(name + "-session").start(() -> {
                try {
                    new SmtpSession(s, settings, spool, sink, gate).run();
                } finally {
                    open.remove(s);
                    slots.release();
                }
            });
        }
    }

    private static void refuse(String name, Socket s) {
        log.warn("{}: too many sessions; {} told 421", name, s.getRemoteSocketAddress());
        try (s; OutputStream o = s.getOutputStream()) {
            o.write("421 4.3.2 Too many connections, try again later\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // gone already
        }
    }

    /**
     * Stops accepting and ends the sessions: a client in the middle of a mail loses the
     * connection before any 250, so its MTA keeps the mail and sends it again.
     */
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
                acceptor.join(5_000); // until accept() has let go of the socket: then the port is free again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
