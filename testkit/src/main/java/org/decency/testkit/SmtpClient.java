package org.decency.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw-socket SMTP/LMTP client for tests (the Detective's, the Defender's proxy): sends exactly what it is told and shows every
 * reply line, so pipelining, out-of-order commands and vanishing clients can be played.
 */
public final class SmtpClient implements AutoCloseable {

    /** One reply: its code and its lines (each as sent, without CRLF). */
    public record Reply(int code, List<String> lines) {
        /** The text of the last line, after the code. */
        public String text() {
            String l = lines.getLast();
            return l.length() > 4 ? l.substring(4) : "";
        }

        /** Every line's text after the code, for multi-line replies (EHLO). */
        public List<String> texts() {
            return lines.stream().map(l -> l.length() > 4 ? l.substring(4) : "").toList();
        }

        @Override
        public String toString() {
            return String.join(" | ", lines);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private SmtpClient(int port, int timeoutMillis) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(timeoutMillis);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Connects; the greeting is not read yet. */
    public static SmtpClient connect(int port) {
        try {
            return new SmtpClient(port, 60_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects, reads the greeting (220) and says EHLO (or LHLO). */
    public static SmtpClient hello(int port, String verb) {
        SmtpClient c = connect(port);
        Reply g = c.read();
        if (g.code() != 220) throw new AssertionError("greeting: " + g);
        Reply h = c.cmd(verb + " client.example.net");
        if (h.code() != 250) throw new AssertionError(verb + ": " + h);
        return c;
    }

    public static SmtpClient ehlo(int port) {
        return hello(port, "EHLO");
    }

    public void timeout(int millis) {
        try {
            socket.setSoTimeout(millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends text as it is (UTF-8), no line end added. */
    public void send(String raw) {
        sendBytes(raw.getBytes(StandardCharsets.UTF_8));
    }

    public void sendBytes(byte[] b) {
        try {
            out.write(b);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public OutputStream output() {
        return out;
    }

    /** Sends a command line and reads its reply. */
    public Reply cmd(String line) {
        send(line + "\r\n");
        return read();
    }

    /** Reads one (possibly multi-line) reply. */
    public Reply read() {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = readLine();
            if (l == null) throw new AssertionError("connection closed; lines so far: " + lines);
            lines.add(l);
            if (l.length() < 4 || l.charAt(3) != '-') return new Reply(Integer.parseInt(l.substring(0, 3)), lines);
        }
    }

    public List<Reply> read(int n) {
        List<Reply> r = new ArrayList<>();
        for (int i = 0; i < n; i++) r.add(read());
        return r;
    }

    /** Sends DATA, expects 354, sends the mail dot-stuffed with the final dot, and returns the reply. */
    public Reply data(String mail) {
        Reply r = cmd("DATA");
        if (r.code() != 354) return r;
        send(stuff(mail) + ".\r\n");
        return read();
    }

    /** MAIL, RCPT for each, DATA: the reply to the first command that failed, or to the data. */
    public Reply mail(String from, List<String> to, String mail) {
        Reply r = cmd("MAIL FROM:<" + from + ">");
        if (r.code() != 250) return r;
        for (String t : to) {
            r = cmd("RCPT TO:<" + t + ">");
            if (r.code() != 250) return r;
        }
        return data(mail);
    }

    /** Doubles a dot at the start of a line and makes sure the text ends with CRLF. */
    public static String stuff(String mail) {
        String s = mail.replaceAll("(?m)^\\.", "..");
        return s.isEmpty() || s.endsWith("\r\n") ? s : s + "\r\n";
    }

    /** True when the server closed the connection (end of stream) before the timeout. */
    public boolean closedByServer() {
        try {
            while (true) {
                int c = in.read();
                if (c < 0) return true;
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private String readLine() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    byte[] a = b.toByteArray();
                    int n = a.length > 0 && a[a.length - 1] == '\r' ? a.length - 1 : a.length;
                    return new String(a, 0, n, StandardCharsets.UTF_8);
                }
                b.write(c);
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes at once, as a client that vanishes. */
    public void abort() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // gone
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
