package org.decency.detective.reinject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.decency.config.ConfigNode;

/**
 * One place checked mail is passed on to, as the seeds' {@code reinject:} entries:
 * normally a Postfix smtpd that does no filtering (127.0.0.1:10250). Targets are tried in
 * order; after one accepted a mail, the later ones with {@code copy: 1} receive a copy.
 *
 * <pre>{@code
 * reinject:
 *   - {host: 127.0.0.1, port: 10250}
 *   - {host: 10.0.0.2, port: 25, tls: 1, user: decency, password: secret}
 *   - {host: 127.0.0.1, port: 10251, copy: 1}
 * }</pre>
 *
 * @param ssl         implicit TLS from the first byte (port 465 style)
 * @param tls         STARTTLS after EHLO (required: a server that does not offer it is a failure)
 * @param tlsVerify   check the server's certificate (off for a local self-signed one)
 * @param hello       the EHLO name
 */
public record ReinjectTarget(String host, int port, boolean copy, String user, String password, boolean ssl,
                             boolean tls, boolean tlsVerify, String hello, Duration timeout, boolean debug) {

    public String address() {
        return host + ":" + port;
    }

    /** One target (a mapping) or a list of them. */
    public static List<ReinjectTarget> readAll(ConfigNode n) {
        List<ReinjectTarget> out = new ArrayList<>();
        for (ConfigNode t : n.isSequence() ? n.asList() : List.of(n)) out.add(read(t));
        if (out.stream().allMatch(ReinjectTarget::copy)) throw n.error("every target is copy: 1; at least one must receive the mail itself");
        return out;
    }

    static ReinjectTarget read(ConfigNode t) {
        String host = t.string("host", "127.0.0.1");
        int port = t.integer("port", 10250);
        if (port < 1 || port > 65535) throw t.required("port").error("expected a port from 1 to 65535");
        String user = t.string("user", "");
        String password = t.child("password", "pass").map(ConfigNode::text).orElse("");
        if (user.isEmpty() != password.isEmpty()) throw t.error("user and password go together");
        ReinjectTarget r = new ReinjectTarget(host, port, t.bool("copy", false), user, password, t.bool("ssl", false),
                t.bool("tls", false), t.bool("tls_verify", true), t.string("hello", "decency"),
                t.duration("timeout", Duration.ofSeconds(30)), t.bool("debug", false));
        if (r.ssl() && r.tls()) throw t.error("ssl (TLS from the start) and tls (STARTTLS) exclude each other");
        t.finish();
        return r;
    }
}
