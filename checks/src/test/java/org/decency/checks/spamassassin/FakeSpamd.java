package org.decency.checks.spamassassin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback server that is not spamd, for what a real spamd will not do: answer garbage,
 * read the request and never answer, or never read at all. It keeps the request heads it
 * was sent.
 */
final class FakeSpamd implements AutoCloseable {
    enum Mode { ANSWER, SILENT, DEAF }

    private final ServerSocket server;
    private final Mode mode;
    private final byte[] answer;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

    private FakeSpamd(Mode mode, byte[] answer) {
        this.mode = mode;
        this.answer = answer;
        try {
            server = new ServerSocket();
            server.setReceiveBufferSize(4096); // a deaf server's buffers fill soon
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().start(this::serve);
    }

    /** Reads each request, then sends {@code answer} and closes. */
    static FakeSpamd answering(String answer) {
        return new FakeSpamd(Mode.ANSWER, answer.getBytes(StandardCharsets.ISO_8859_1));
    }

    static FakeSpamd answering(byte[] answer) {
        return new FakeSpamd(Mode.ANSWER, answer);
    }

    /** Reads each request and never answers. */
    static FakeSpamd silent() {
        return new FakeSpamd(Mode.SILENT, new byte[0]);
    }

    /** Accepts and never reads. */
    static FakeSpamd deaf() {
        return new FakeSpamd(Mode.DEAF, new byte[0]);
    }

    int port() {
        return server.getLocalPort();
    }

    /** The heads (request line and headers) received so far. */
    List<String> requests() {
        return requests;
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                clients.add(s);
                if (mode != Mode.DEAF) Thread.ofVirtual().start(() -> handle(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            String head = head(in);
            requests.add(head);
            long length = head.lines().filter(l -> l.startsWith("Content-length: ")).mapToLong(l -> Long.parseLong(l.substring(16))).findFirst().orElse(0);
            in.skipNBytes(length);
            if (mode == Mode.SILENT) {
                closed.await(); // the client's half-close ends its sending only: it waits for an answer that never comes
                return;
            }
            s.getOutputStream().write(answer);
            s.getOutputStream().flush();
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            String s = b.toString(StandardCharsets.UTF_8);
            if (s.endsWith("\r\n\r\n")) return s.substring(0, s.length() - 4);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            server.close();
        } catch (IOException e) {
            // closed
        }
        for (Socket s : clients) {
            try {
                s.close();
            } catch (IOException e) {
                // closed
            }
        }
    }
}
