package org.decency.doorman;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A blocking test client speaking the policy protocol over a real socket. */
final class PolicyClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    PolicyClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    static String request(String... attrs) {
        StringBuilder b = new StringBuilder("request=smtpd_access_policy\nprotocol_state=RCPT\n");
        for (String a : attrs) b.append(a).append('\n');
        return b.append('\n').toString();
    }

    void send(String raw) throws IOException {
        send(raw.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    /** Reads one answer up to its empty line; returns the text without the final blank line. */
    String answer() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int prev = -1;
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n' && prev == '\n') return b.toString(StandardCharsets.UTF_8).strip();
            b.write(c);
            prev = c;
        }
        throw new IOException("connection closed after: " + b.toString(StandardCharsets.UTF_8));
    }

    String ask(String raw) throws IOException {
        send(raw);
        return answer();
    }

    /** True when the server closed the connection (EOF) within the socket timeout. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
