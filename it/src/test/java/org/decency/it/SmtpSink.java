package org.decency.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The relayhost of the test Postfix: a minimal SMTP server on 127.0.0.1 that accepts
 * every mail and keeps it, so a test can see what Postfix delivered (and the headers
 * Postfix prepended on the Doorman's word).
 */
final class SmtpSink implements AutoCloseable {

    /** A delivered mail: envelope and the message as received (dot-unstuffed, CRLF line ends). */
    record Message(String from, List<String> recipients, String data) {

        /** The first header named {@code name}, unfolded, without the name. */
        Optional<String> header(String name) {
            String headers = data.split("\r\n\r\n", 2)[0].replaceAll("\r\n[ \t]+", " ");
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headers.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(l -> l.substring(prefix.length()).strip()).findFirst();
        }
    }

    private final ServerSocket server;
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Message> received = new ArrayList<>();

    private SmtpSink(ServerSocket server) {
        this.server = server;
    }

    static SmtpSink start() {
        try {
            SmtpSink sink = new SmtpSink(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            Thread acceptor = new Thread(sink::acceptLoop, "smtp-sink");
            acceptor.setDaemon(true);
            acceptor.start();
            return sink;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the SMTP sink", e);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    /** Waits until {@code count} mails from {@code sender} arrived, at most {@code timeout}; returns those there are. */
    List<Message> awaitFrom(String sender, int count, Duration timeout) throws InterruptedException {
        return await(m -> m.from().equalsIgnoreCase(sender), count, timeout);
    }

    /** Waits until {@code count} mails that {@code wanted} accepts arrived, at most {@code timeout}; returns those there are. */
    List<Message> await(Predicate<Message> wanted, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (true) {
                List<Message> found = received.stream().filter(wanted).toList();
                long left = deadline - System.nanoTime();
                if (found.size() >= count || left <= 0) return found;
                received.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    List<Message> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        connections.shutdownNow();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.submit(() -> serve(s));
            } catch (IOException e) {
                if (!server.isClosed()) System.err.println("smtp sink: accept failed: " + e);
            }
        }
    }

    private void serve(Socket socket) {
        try (socket;
             BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
             Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8)) {
            socket.setSoTimeout(60_000);
            reply(out, "220 sink.decency-it.test ESMTP test sink");
            String from = null;
            List<String> rcpts = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line.toUpperCase(Locale.ROOT);
                switch (verb) {
                    // The name must differ from Postfix's myhostname, else Postfix sees a mail loop.
                    case "EHLO" -> reply(out, "250-sink.decency-it.test\r\n250 8BITMIME");
                    case "HELO" -> reply(out, "250 sink.decency-it.test");
                    case "MAIL" -> {
                        from = address(line);
                        rcpts.clear();
                        reply(out, "250 2.1.0 Ok");
                    }
                    case "RCPT" -> {
                        rcpts.add(address(line));
                        reply(out, "250 2.1.5 Ok");
                    }
                    case "DATA" -> {
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        StringBuilder data = new StringBuilder();
                        String d;
                        while ((d = in.readLine()) != null && !d.equals(".")) {
                            data.append(d.startsWith(".") ? d.substring(1) : d).append("\r\n");
                        }
                        Message m = new Message(from, List.copyOf(rcpts), data.toString());
                        synchronized (received) {
                            received.add(m);
                            received.notifyAll();
                        }
                        reply(out, "250 2.0.0 Ok: kept by the test sink");
                        from = null;
                        rcpts.clear();
                    }
                    case "RSET" -> {
                        from = null;
                        rcpts.clear();
                        reply(out, "250 2.0.0 Ok");
                    }
                    case "NOOP" -> reply(out, "250 2.0.0 Ok");
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 Bye");
                        return;
                    }
                    default -> reply(out, "502 5.5.2 Command not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away; nothing to keep
        }
    }

    private static String address(String command) {
        int lt = command.indexOf('<');
        int gt = command.indexOf('>', lt + 1);
        return lt >= 0 && gt > lt ? command.substring(lt + 1, gt) : command.substring(command.indexOf(':') + 1).strip();
    }

    private static void reply(Writer out, String text) throws IOException {
        out.write(text + "\r\n");
        out.flush();
    }
}
