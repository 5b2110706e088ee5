package org.decency.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Talks to a Doorman as Postfix's {@code check_policy_service} does: one connection kept
 * open, one request (name=value lines, an empty line) and one answer after another.
 */
final class PolicyClient implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    private PolicyClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        this.out = socket.getOutputStream();
    }

    static PolicyClient connect(int port) {
        try {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(30_000);
            return new PolicyClient(s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to the policy server on port " + port, e);
        }
    }

    /** One RCPT request as Postfix sends it. */
    record Request(String client, String helo, String sender, String recipient, String instance, String queueId) {
        Request(String client, String helo, String sender, String recipient, String instance) {
            this(client, helo, sender, recipient, instance, "");
        }

        Map<String, String> attributes() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("request", "smtpd_access_policy");
            m.put("protocol_state", "RCPT");
            m.put("protocol_name", "ESMTP");
            m.put("client_address", client);
            m.put("client_name", "unknown");
            m.put("reverse_client_name", "unknown");
            m.put("helo_name", helo);
            m.put("sender", sender);
            m.put("recipient", recipient);
            m.put("recipient_count", "0");
            m.put("queue_id", queueId);
            m.put("instance", instance);
            m.put("size", "0");
            return m;
        }
    }

    /** The answer's action, e.g. {@code DEFER_IF_PERMIT Greylisted ...} (without {@code action=}). */
    String ask(Request request) {
        StringBuilder req = new StringBuilder();
        request.attributes().forEach((k, v) -> req.append(k).append('=').append(v).append('\n'));
        req.append('\n');
        try {
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            StringBuilder answer = new StringBuilder();
            for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) answer.append(line);
            String a = answer.toString();
            if (!a.startsWith("action=")) throw new AssertionError("not a policy answer to " + request + ": \"" + a + "\"");
            return a.substring("action=".length());
        } catch (IOException e) {
            throw new UncheckedIOException("policy request " + request + " failed", e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
