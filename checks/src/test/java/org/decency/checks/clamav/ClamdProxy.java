package org.decency.checks.clamav;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay in front of a real clamd that counts the connections made through
 * it (to see sessions reused) and can break the ones open now without the client
 * noticing until it uses them ({@link #breakOpenConnections}): their next bytes are not
 * passed on, both sides are closed instead, as when clamd or a network device drops an idle
 * connection and the client learns it only on use.
 */
final class ClamdProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Pair> pairs = new CopyOnWriteArrayList<>();

    private final class Pair {
        final Socket client;
        final Socket upstream;
        volatile boolean broken;

        Pair(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void pump(Socket from, Socket to, boolean fromClient) {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (broken && fromClient) break;
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // one side went away
            } finally {
                closeBoth();
            }
        }

        void closeBoth() {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing
            }
            try {
                upstream.close();
            } catch (IOException ignored) {
                // closing
            }
            pairs.remove(this);
        }
    }

    ClamdProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("clamd-proxy").start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 5000);
                Pair p = new Pair(client, upstream);
                pairs.add(p);
                Thread.ofVirtual().start(() -> p.pump(client, upstream, true));
                Thread.ofVirtual().start(() -> p.pump(upstream, client, false));
            } catch (IOException e) {
                if (server.isClosed()) return;
            }
        }
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    int connections() {
        return accepted.get();
    }

    /** Connections open now. */
    int open() {
        return pairs.size();
    }

    /** The connections open now are broken: whatever the client sends next closes them. */
    void breakOpenConnections() {
        for (Pair p : pairs) p.broken = true;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Pair p : pairs) p.closeBoth();
    }
}
