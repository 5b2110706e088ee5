package org.decency.detective.reinject;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.decency.detective.smtp.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP client connection to a reinjection target: greeting, EHLO and the server's
 * extensions, STARTTLS or TLS from the start, AUTH PLAIN or LOGIN, then any number of
 * commands with their (multi-line) replies. Blocking; used by one thread at a time.
 */
final class SmtpConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmtpConnection.class);

    private final ReinjectTarget target;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final Set<String> extensions = new HashSet<>();
    private long lastUsed = System.nanoTime();

    private SmtpConnection(ReinjectTarget target) {
        this.target = target;
    }

    /** Connects, greets and authenticates; throws with the server's words when it refuses. */
    static SmtpConnection open(ReinjectTarget target) throws IOException {
        SmtpConnection c = new SmtpConnection(target);
        try {
            c.connect();
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void connect() throws IOException {
        int millis = (int) target.timeout().toMillis();
        Socket s = new Socket();
        s.connect(new InetSocketAddress(target.host(), target.port()), millis);
        s.setSoTimeout(millis);
        s.setTcpNoDelay(true);
        if (target.ssl()) s = tls(s);
        use(s);
        expect(read(), 220, "greeting");
        ehlo();
        if (target.tls()) {
            if (!has("STARTTLS")) throw new ReinjectException(false, target.address() + " does not offer STARTTLS");
            expect(command("STARTTLS"), 220, "STARTTLS");
            use(tls(socket));
            ehlo();
        }
        if (!target.user().isEmpty()) authenticate();
    }

    private void use(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 8192);
        out = new BufferedOutputStream(s.getOutputStream(), 65536);
    }

    private void ehlo() throws IOException {
        SmtpReply r = command("EHLO " + target.hello());
        expect(r, 250, "EHLO");
        extensions.clear();
        String[] lines = r.text().split("\n");
        for (int i = 1; i < lines.length; i++) extensions.add(lines[i].strip().toUpperCase(Locale.ROOT));
    }

    private void authenticate() throws IOException {
        boolean plain = extensions.stream().anyMatch(e -> e.startsWith("AUTH") && e.contains("PLAIN"));
        boolean login = extensions.stream().anyMatch(e -> e.startsWith("AUTH") && e.contains("LOGIN"));
        SmtpReply r;
        if (plain) {
            byte[] token = ("\0" + target.user() + "\0" + target.password()).getBytes(StandardCharsets.UTF_8);
            r = command("AUTH PLAIN " + Base64.getEncoder().encodeToString(token));
        } else if (login) {
            expect(command("AUTH LOGIN"), 334, "AUTH LOGIN");
            expect(command(b64(target.user())), 334, "AUTH LOGIN user");
            r = command(b64(target.password()));
        } else {
            throw new ReinjectException(false, target.address() + " offers no AUTH PLAIN or LOGIN");
        }
        expect(r, 235, "AUTH");
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private Socket tls(Socket plain) throws IOException {
        SSLSocketFactory f;
        if (target.tlsVerify()) {
            f = (SSLSocketFactory) SSLSocketFactory.getDefault();
        } else {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {new TrustEverything()}, new SecureRandom());
                f = ctx.getSocketFactory();
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException("TLS unavailable: " + e.getMessage(), e);
            }
        }
        SSLSocket s = (SSLSocket) f.createSocket(plain, target.host(), target.port(), true);
        s.setUseClientMode(true);
        if (target.tlsVerify()) {
            // a trusted certificate is not enough: it must be for this host (the socket factory does not check that)
            javax.net.ssl.SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
        }
        s.startHandshake();
        return s;
    }

    /** For a local target with a self-signed certificate ({@code tls_verify: 0}). */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    boolean has(String extension) {
        String e = extension.toUpperCase(Locale.ROOT);
        for (String x : extensions) if (x.equals(e) || x.startsWith(e + " ")) return true;
        return false;
    }

    /** The parameters of extension {@code name} as the server listed them, e.g. XFORWARD's attribute names. */
    String params(String name) {
        String n = name.toUpperCase(Locale.ROOT) + " ";
        for (String x : extensions) if (x.startsWith(n)) return x.substring(n.length());
        return "";
    }

    SmtpReply command(String line) throws IOException {
        send(line);
        flush();
        return read();
    }

    /** Writes a command without waiting for its reply (PIPELINING); {@link #flush} sends what was written. */
    void send(String line) throws IOException {
        if (target.debug()) log.info("reinject {} >>> {}", target.address(), line.startsWith("AUTH") ? "AUTH ..." : line);
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    void flush() throws IOException {
        out.flush();
    }

    /** Drops the connection without a word: the way to give up a mail after a 354 without delivering it. */
    void abandon() {
        try {
            if (socket != null) socket.close();
        } catch (IOException e) {
            // gone anyway
        }
    }

    /** Where the DATA goes (after a 354); end it with {@link #endData}. */
    OutputStream data() {
        return out;
    }

    SmtpReply read() throws IOException {
        List<String> lines = new ArrayList<>(2);
        int code = 0;
        while (true) {
            String line = readLine();
            if (line == null) throw new IOException("connection closed by " + target.address());
            if (line.length() < 3) throw new IOException("bad reply from " + target.address() + ": " + line);
            code = Integer.parseInt(line.substring(0, 3));
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) != '-') break;
        }
        lastUsed = System.nanoTime();
        String first = lines.getFirst();
        String status = first.matches("[245]\\.\\d{1,3}\\.\\d{1,3}( .*)?") ? first.substring(0, first.indexOf(' ') < 0 ? first.length() : first.indexOf(' ')) : "";
        if (!status.isEmpty()) lines.set(0, first.substring(status.length()).strip());
        SmtpReply r = SmtpReply.of(code, status, String.join("\n", lines));
        if (target.debug()) log.info("reinject {} <<< {}", target.address(), r.render().replace("\r\n", " | "));
        return r;
    }

    private String readLine() throws IOException {
        StringBuilder b = new StringBuilder(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int n = b.length();
                if (n > 0 && b.charAt(n - 1) == '\r') b.setLength(n - 1);
                return b.toString();
            }
            if (b.length() < 4096) b.append((char) c);
        }
        return b.isEmpty() ? null : b.toString();
    }

    /**
     * A refusal while connecting (greeting, EHLO, STARTTLS, AUTH) is about the link to this
     * target, not about the mail: never permanent, so the mail goes to the next target or is deferred.
     */
    private void expect(SmtpReply r, int code, String what) throws ReinjectException {
        if (r.code() != code) {
            throw new ReinjectException(false, r.code(), target.address() + " refused " + what + ": " + r.render());
        }
    }

    /** Idle for longer than {@code millis}: better not reused (the server may have closed it). */
    boolean staleAfter(long millis) {
        return (System.nanoTime() - lastUsed) / 1_000_000 > millis;
    }

    ReinjectTarget target() {
        return target;
    }

    @Override
    public void close() {
        try {
            if (socket != null && !socket.isClosed()) {
                try {
                    out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    // closing anyway
                }
                socket.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }
}
