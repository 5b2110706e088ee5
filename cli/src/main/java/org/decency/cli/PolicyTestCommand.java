package org.decency.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code decency policy-test HOST:PORT [name=value ...]}: sends one policy request, as
 * Postfix would, and prints the answer. Attributes not given get harmless defaults.
 */
@Command(name = "policy-test", mixinStandardHelpOptions = true,
        description = "Send one policy request to HOST:PORT and print the answer.")
final class PolicyTestCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "HOST:PORT of the policy server, e.g. 127.0.0.1:15000")
    String target;

    @Parameters(index = "1..*", description = "name=value attributes, e.g. client_address=192.0.2.1 sender=a@example.net")
    List<String> attributes = List.of();

    @Override
    public Integer call() throws Exception {
        Map<String, String> attrs = defaults();
        for (String a : attributes) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                System.err.println("error: expected name=value, got \"" + a + "\"");
                return 2;
            }
            attrs.put(a.substring(0, eq), a.substring(eq + 1));
        }
        int colon = target.lastIndexOf(':');
        if (colon <= 0) {
            System.err.println("error: expected HOST:PORT, got \"" + target + "\"");
            return 2;
        }
        String host = target.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(target.substring(colon + 1));
        System.out.println(ask(host, port, attrs));
        return 0;
    }

    static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("request", "smtpd_access_policy");
        m.put("protocol_state", "RCPT");
        m.put("protocol_name", "ESMTP");
        m.put("client_address", "192.0.2.1");
        m.put("client_name", "mail.example.net");
        m.put("reverse_client_name", "mail.example.net");
        m.put("helo_name", "mail.example.net");
        m.put("sender", "sender@example.net");
        m.put("recipient", "postmaster@example.org");
        m.put("recipient_count", "0");
        m.put("queue_id", "");
        m.put("instance", "123.456.7");
        m.put("size", "0");
        return m;
    }

    /** Sends one request and returns the answer's lines (without the empty line). */
    static String ask(String host, int port, Map<String, String> attrs) throws java.io.IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(30000);
            StringBuilder req = new StringBuilder();
            attrs.forEach((k, v) -> req.append(k).append('=').append(v).append('\n'));
            req.append('\n');
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder answer = new StringBuilder();
            for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                if (!answer.isEmpty()) answer.append('\n');
                answer.append(line);
            }
            return answer.toString();
        }
    }
}
