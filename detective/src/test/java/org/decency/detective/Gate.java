package org.decency.detective;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An SMTP front for a {@link NextHop}, for what the Detective's own server does not do:
 * it relays command by command (and the data line by line) to the next hop, but offers
 * and handles STARTTLS itself (with {@code tls}), requires AUTH PLAIN or LOGIN of one user
 * (with {@code user}) and refuses the recipients in {@code refuse} with a 550.
 */
final class Gate implements AutoCloseable {
    private final int backend;
    private final SSLContext tls;
    private final String user;
    private final String password;
    private final Set<String> refuse;
    private final ServerSocket server;
    /** What happened, per session: "tls", "auth PLAIN user", "auth LOGIN user", "auth failed". */
    final List<String> events = new CopyOnWriteArrayList<>();
    /** The AUTH extension offered (after STARTTLS, with {@code tls}). */
    volatile String authOffer = "AUTH PLAIN LOGIN";
    /** Extensions of the next hop not offered (e.g. DSN, 8BITMIME, XFORWARD). */
    volatile Set<String> hide = Set.of();
    /** Mails whose MAIL FROM came with more commands behind it (the client pipelines). */
    final java.util.concurrent.atomic.AtomicInteger pipelined = new java.util.concurrent.atomic.AtomicInteger();
    /** Recipients answered with a 451 (try again later). */
    volatile Set<String> defer = Set.of();
    /** TLS from the first byte (port 465 style) instead of STARTTLS. */
    volatile boolean implicitTls;

    Gate(int backend, SSLContext tls, String user, String password, Set<String> refuse) {
        this.backend = backend;
        this.tls = tls;
        this.user = user;
        this.password = password;
        this.refuse = refuse;
        try {
            server = new ServerSocket(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client; Socket hop = new Socket("127.0.0.1", backend)) {
            Socket c = client;
            boolean secure = false;
            if (implicitTls) {
                c = wrap(c);
                secure = true;
            }
            InputStream cin = new BufferedInputStream(c.getInputStream());
            OutputStream cout = c.getOutputStream();
            InputStream hin = new BufferedInputStream(hop.getInputStream());
            OutputStream hout = hop.getOutputStream();
            cout.write(reply(hin));
            boolean authed = user == null;
            byte[] line;
            while ((line = readLine(cin)) != null) {
                String text = new String(line, StandardCharsets.UTF_8).strip();
                String upper = text.toUpperCase(Locale.ROOT);
                if (upper.startsWith("MAIL") && cin.available() > 0) pipelined.incrementAndGet(); // more came with it
                if (upper.startsWith("EHLO")) {
                    hout.write(line);
                    String r = new String(reply(hin), StandardCharsets.UTF_8);
                    if (tls != null && !secure) r = ehlo(r, "STARTTLS");
                    else if (user != null) r = ehlo(r, authOffer);
                    else r = ehlo(r, null);
                    cout.write(r.getBytes(StandardCharsets.UTF_8));
                } else if (upper.equals("STARTTLS") && tls != null && !secure) {
                    cout.write("220 2.0.0 Ready to start TLS\r\n".getBytes(StandardCharsets.US_ASCII));
                    cout.flush();
                    c = wrap(c);
                    cin = new BufferedInputStream(c.getInputStream());
                    cout = c.getOutputStream();
                    secure = true;
                } else if (upper.startsWith("AUTH ")) {
                    authed = auth(text, cin, cout);
                } else if ((upper.startsWith("MAIL") && !authed)) {
                    cout.write("530 5.7.0 Authentication required\r\n".getBytes(StandardCharsets.US_ASCII));
                } else if (upper.startsWith("MAIL") && tls != null && !secure) {
                    cout.write("530 5.7.0 Must issue a STARTTLS command first\r\n".getBytes(StandardCharsets.US_ASCII));
                } else if (upper.startsWith("RCPT") && defer.stream().anyMatch(a -> upper.contains("<" + a.toUpperCase(Locale.ROOT) + ">"))) {
                    cout.write("451 4.3.0 Recipient deferred: try again later\r\n".getBytes(StandardCharsets.US_ASCII));
                } else if (upper.startsWith("RCPT") && refuse.stream().anyMatch(a -> upper.contains("<" + a.toUpperCase(Locale.ROOT) + ">"))) {
                    cout.write("550 5.1.1 Recipient address rejected: no such user\r\n".getBytes(StandardCharsets.US_ASCII));
                } else if (upper.equals("DATA")) {
                    hout.write(line);
                    byte[] r = reply(hin);
                    cout.write(r);
                    cout.flush();
                    if (r[0] == '3') {
                        byte[] d;
                        while ((d = readLine(cin)) != null) {
                            hout.write(d);
                            if (new String(d, StandardCharsets.ISO_8859_1).equals(".\r\n")) break;
                        }
                        cout.write(reply(hin));
                    }
                } else {
                    hout.write(line);
                    cout.write(reply(hin));
                    if (upper.equals("QUIT")) return;
                }
                cout.flush();
            }
        } catch (IOException e) {
            // a session ended
        }
    }

    private Socket wrap(Socket plain) throws IOException {
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
        s.setUseClientMode(false);
        s.startHandshake();
        events.add("tls");
        return s;
    }

    private boolean auth(String command, InputStream in, OutputStream out) throws IOException {
        String[] parts = command.split(" ");
        String mechanism = parts[1].toUpperCase(Locale.ROOT);
        String u;
        String p;
        if (mechanism.equals("PLAIN")) {
            String token = parts.length > 2 ? parts[2] : askFor("", in, out);
            String[] f = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8).split("\0", -1);
            u = f.length == 3 ? f[1] : "";
            p = f.length == 3 ? f[2] : "";
        } else if (mechanism.equals("LOGIN")) {
            u = decode(askFor("VXNlcm5hbWU6", in, out));
            p = decode(askFor("UGFzc3dvcmQ6", in, out));
        } else {
            out.write("504 5.5.4 Unrecognized authentication type\r\n".getBytes(StandardCharsets.US_ASCII));
            return false;
        }
        boolean ok = u.equals(user) && p.equals(password);
        events.add(ok ? "auth " + mechanism + " " + u : "auth failed");
        out.write((ok ? "235 2.7.0 Authentication successful\r\n" : "535 5.7.8 Authentication credentials invalid\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return ok;
    }

    private static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    private static String askFor(String challenge, InputStream in, OutputStream out) throws IOException {
        out.write(("334 " + challenge + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] l = readLine(in);
        return l == null ? "" : new String(l, StandardCharsets.US_ASCII).strip();
    }

    /** The next hop's EHLO reply without the hidden extensions, with {@code extra} (if any) added. */
    private String ehlo(String reply, String extra) {
        List<String> lines = new java.util.ArrayList<>();
        for (String l : reply.split("\r\n")) {
            String ext = l.substring(4);
            if (lines.isEmpty() || hide.stream().noneMatch(h -> ext.toUpperCase(Locale.ROOT).startsWith(h))) lines.add(ext);
        }
        if (extra != null) lines.add(extra);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) b.append(i == lines.size() - 1 ? "250 " : "250-").append(lines.get(i)).append("\r\n");
        return b.toString();
    }

    /** One whole reply of the next hop, as bytes with its line ends. */
    private static byte[] reply(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] l;
        while ((l = readLine(in)) != null) {
            b.writeBytes(l);
            if (l.length < 4 || l[3] != '-') break;
        }
        return b.toByteArray();
    }

    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (c == '\n') return b.toByteArray();
        }
        return b.size() == 0 ? null : b.toByteArray();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
