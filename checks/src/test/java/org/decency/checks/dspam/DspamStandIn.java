package org.decency.checks.dspam;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for DSPAM's server on loopback (TCP or a unix socket), answering as DSPAM
 * does in ServerMode dspam (DLMTP) with the lines written down in
 * {@code dspam/dlmtp-replies.properties}. It classifies by a rule of the test's choosing
 * ({@link #judge}: by default a mail mentioning viagra is spam, one from
 * {@code friend@example.net} whitelisted, the rest innocent), records everything it was
 * sent, and can misbehave as a broken server would ({@link Mode}). No DSPAM code or
 * database is involved: this checks our side of the protocol, not DSPAM's judgement.
 */
final class DspamStandIn implements AutoCloseable {

    /** How the stand-in behaves. */
    enum Mode {
        /** As DSPAM in ServerMode dspam. */
        DSPAM,
        /** As DSPAM in ServerMode standard: plain LMTP, no DSPAMPROCESSMODE. */
        STANDARD,
        /** Accepts connections and never says a word. */
        SILENT,
        /** Answers everything up to the end of the data, then nothing. */
        STALL_AFTER_DATA,
        /** Answers DATA with 354, then reads nothing more: the client's writes fill the socket buffers and block. */
        STOP_READING_AT_DATA,
        /** Answers the mail with {@link #garbage} instead of a verdict. */
        GARBAGE_AFTER_DATA,
        /** Closes the connection after each answer. */
        CLOSE_AFTER_ANSWER
    }

    /**
     * One transaction as the stand-in saw it.
     *
     * @param users the users DSPAM would process the mail for: those of RCPT TO, then those of a {@code --user}
     *              in DSPAMPROCESSMODE, which DSPAM's server adds to the same list without looking for doubles
     */
    record Received(int connection, String lhlo, String mailFrom, String rcpt, String processMode, List<String> users, String data) {}

    static final Properties REPLIES = replies();
    private static final Pattern MAIL_FROM = Pattern.compile("(?i)MAIL FROM: ?<([^>]*)>(?: DSPAMPROCESSMODE=\"((?:[^\"\\\\]|\\\\.)*)\")?.*");
    private static final Pattern RCPT_TO = Pattern.compile("(?i)RCPT TO: ?<([^>]*)>.*");

    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final String yaml;
    private final Map<String, String> serverPass = Map.of("Relay1", "secret");
    private final List<SocketChannel> clients = new CopyOnWriteArrayList<>();
    final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    /** Every line clients sent outside the data, in order. */
    final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger connections = new AtomicInteger();
    volatile Mode mode = Mode.DSPAM;
    volatile List<String> garbage = List.of("I am not DSPAM", ".");
    volatile Function<String, String> judge = DspamStandIn::byContent;

    private DspamStandIn(ServerSocketChannel server, String yaml) {
        this.server = server;
        this.yaml = yaml;
        this.acceptor = Thread.ofPlatform().daemon().name("dspam-stand-in").start(this::accept);
    }

    /** On a free port of 127.0.0.1. */
    static DspamStandIn tcp() throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = ((InetSocketAddress) s.getLocalAddress()).getPort();
        return new DspamStandIn(s, "host: 127.0.0.1\nport: " + port + "\n");
    }

    /** On a unix socket at {@code path}. */
    static DspamStandIn unix(Path path) throws IOException {
        Files.deleteIfExists(path);
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(path));
        return new DspamStandIn(s, "socket: " + path + "\n");
    }

    /** The module's settings that point at the stand-in. */
    String yaml() {
        return yaml;
    }

    static String byContent(String mail) {
        String m = mail.toLowerCase(Locale.ROOT);
        if (m.contains("viagra")) return "Spam";
        if (m.contains("from: friend <friend@example.net>")) return "Whitelisted";
        return "Innocent";
    }

    /** Closes every client connection, as DSPAM does when it reloads or a client idled too long. */
    void dropConnections() {
        for (SocketChannel c : clients) closeQuietly(c);
    }

    /** The process modes received, in order. */
    List<String> processModes() {
        synchronized (received) {
            return received.stream().map(Received::processMode).toList();
        }
    }

    /** Stops listening (a connection that raced in meanwhile is closed unserved), then closes every client connection. */
    @Override
    public void close() {
        closeQuietly(server);
        try {
            acceptor.join(5000); // the listening socket is only really closed once accept() has returned
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dropConnections();
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                if (!server.isOpen()) {
                    closeQuietly(c);
                    return;
                }
                int n = connections.incrementAndGet();
                clients.add(c);
                Thread.ofVirtual().start(() -> serve(c, n));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel c, int connection) {
        try (c) {
            InputStream rawIn = Channels.newInputStream(c);
            OutputStream out = Channels.newOutputStream(c);
            BufferedReader in = new BufferedReader(new InputStreamReader(rawIn, StandardCharsets.ISO_8859_1));
            if (mode == Mode.SILENT) {
                while (in.readLine() != null) { /* hear, say nothing */ }
                return;
            }
            send(out, reply("greeting", Map.of()));
            String lhlo = "", mailFrom = "", rcpt = "", processMode = "", user = "";
            String line;
            while ((line = in.readLine()) != null) {
                commands.add(line);
                String upper = line.toUpperCase(Locale.ROOT);
                if (upper.startsWith("LHLO")) {
                    lhlo = line.length() > 5 ? line.substring(5) : "";
                    send(out, reply(mode == Mode.STANDARD ? "lhlo.standard" : "lhlo", Map.of()));
                } else if (upper.startsWith("MAIL FROM")) {
                    Matcher m = MAIL_FROM.matcher(line);
                    String address = m.matches() ? m.group(1) : "";
                    int at = address.indexOf('@');
                    boolean ok = at > 0 && address.substring(0, at).equals(serverPass.get(address.substring(at + 1)));
                    if (ok) {
                        mailFrom = line;
                        processMode = m.group(2) == null ? "" : m.group(2).replace("\\\"", "\"");
                    }
                    send(out, reply(ok ? "mail.ok" : "mail.refused", Map.of()));
                } else if (upper.startsWith("RCPT TO")) {
                    Matcher m = RCPT_TO.matcher(line);
                    if (mailFrom.isEmpty() || !m.matches()) {
                        send(out, reply("need", Map.of("command", "MAIL FROM")));
                        continue;
                    }
                    rcpt = line;
                    user = m.group(1);
                    send(out, reply("rcpt.ok", Map.of()));
                } else if (upper.equals("DATA")) {
                    if (rcpt.isEmpty()) {
                        send(out, reply("need", Map.of("command", "RCPT TO")));
                        continue;
                    }
                    send(out, reply("data", Map.of()));
                    if (mode == Mode.STOP_READING_AT_DATA) {
                        while (server.isOpen() && c.isOpen()) sleep();
                        return;
                    }
                    String data = readData(in);
                    List<String> users = users(user, processMode);
                    received.add(new Received(connection, lhlo, mailFrom, rcpt, processMode, users, data));
                    if (!answer(out, processMode, users, data)) {
                        while (in.readLine() != null) { /* stalled: hold the line, answer nothing */ }
                        return;
                    }
                    if (mode == Mode.CLOSE_AFTER_ANSWER) return;
                    mailFrom = rcpt = processMode = user = "";
                } else if (upper.equals("RSET")) {
                    mailFrom = rcpt = processMode = user = "";
                    send(out, reply("rset", Map.of()));
                } else if (upper.equals("QUIT")) {
                    send(out, reply("quit", Map.of()));
                    return;
                } else {
                    send(out, reply("need", Map.of("command", "MAIL FROM")));
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            clients.remove(c);
        }
    }

    /** The RCPT TO user, then every user after a {@code --user} in the process mode, up to the next option. */
    static List<String> users(String rcptUser, String processMode) {
        List<String> users = new ArrayList<>(List.of(rcptUser));
        boolean after = false;
        for (String arg : processMode.split(" ")) {
            if (arg.isEmpty()) continue;
            if (arg.startsWith("-")) {
                after = arg.equals("--user");
                continue;
            }
            if (after) users.add(arg);
        }
        return users;
    }

    /** Answers a mail, once for each user as DSPAM does; false when the connection should just be held (a stalled server). */
    private boolean answer(OutputStream out, String processMode, List<String> users, String data) throws IOException {
        switch (mode) {
            case STALL_AFTER_DATA -> {
                return false;
            }
            case GARBAGE_AFTER_DATA -> {
                send(out, garbage);
                return true;
            }
            default -> { }
        }
        boolean training = processMode.contains("--class=");
        boolean summary = processMode.contains("--stdout") && (processMode.contains("--deliver=summary") || processMode.contains("--classify"));
        List<String> lines = new ArrayList<>();
        boolean wrote = false;
        for (String user : users) {
            if (training && processMode.contains("--source=error") && !data.contains("X-DSPAM-Signature:")) {
                lines.addAll(reply("failed", Map.of("user", user))); // DSPAM cannot retrain an error without its signature
                continue;
            }
            String verdict = training ? (processMode.contains("--class=spam") ? "Spam" : "Innocent") : judge.apply(data);
            String result = verdict.equals("Spam") ? "Spam" : "Innocent";
            if (!summary) {
                lines.addAll(reply("delivered", Map.of("user", user, "RESULT", result.toUpperCase(Locale.ROOT))));
                continue;
            }
            Map<String, String> v = switch (verdict) {
                case "Spam" -> Map.of("probability", "0.9900", "confidence", "0.80");
                case "Whitelisted" -> Map.of("probability", "0.0000", "confidence", "0.99");
                default -> Map.of("probability", "0.0000", "confidence", "1.00");
            };
            lines.addAll(reply("summary", Map.of("user", user, "result", result, "class", verdict, "probability", v.get("probability"),
                    "confidence", v.get("confidence"), "signature", training ? "N/A" : "4b11c532158749980119923")));
            wrote = true;
        }
        if (wrote) {
            lines.removeIf(LmtpReply::looksLikeReply); // once DSPAM wrote output, the answer is that output and its dot
            lines.add(".");
        }
        send(out, lines);
        return true;
    }

    /** The data up to the lone dot, dot-stuffing undone, each line ended by CRLF again. */
    private static String readData(BufferedReader in) throws IOException {
        StringBuilder b = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null && !line.equals(".")) {
            b.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
        }
        return b.toString();
    }

    static List<String> reply(String key, Map<String, String> values) {
        String text = REPLIES.getProperty(key);
        if (text == null) throw new IllegalArgumentException("no reply " + key);
        for (Map.Entry<String, String> e : values.entrySet()) text = text.replace("{" + e.getKey() + "}", e.getValue());
        return List.of(text.split("\n"));
    }

    private static void send(OutputStream out, List<String> lines) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String l : lines) b.append(l).append("\r\n");
        out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static Properties replies() {
        Properties p = new Properties();
        try (InputStream in = DspamStandIn.class.getResourceAsStream("/dspam/dlmtp-replies.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closed anyway
        }
    }
}
