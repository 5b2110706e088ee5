package org.decency.doorman;

import java.time.Duration;
import org.decency.config.ConfigNode;

/**
 * Protections against misbehaving clients ({@code server.limits}).
 *
 * @param maxLineLength   longest attribute line accepted (Postfix's own lines are far shorter)
 * @param maxRequestBytes largest whole request
 * @param maxAttributes   most attributes in one request
 * @param requestTimeout  a client that stops in the middle of a request is dropped after this
 * @param idleTimeout     an idle connection is closed after this (Postfix reconnects when needed)
 */
public record PolicyLimits(int maxLineLength, int maxRequestBytes, int maxAttributes,
                           Duration requestTimeout, Duration idleTimeout) {

    public static PolicyLimits defaults() {
        return new PolicyLimits(8192, 65536, 200, Duration.ofSeconds(30), Duration.ofMinutes(10));
    }

    static PolicyLimits read(ConfigNode n) {
        PolicyLimits d = defaults();
        PolicyLimits l = new PolicyLimits(
                n.integer("max_line_length", d.maxLineLength()),
                n.integer("max_request_bytes", d.maxRequestBytes()),
                n.integer("max_attributes", d.maxAttributes()),
                n.duration("request_timeout", d.requestTimeout()),
                n.duration("idle_timeout", d.idleTimeout()));
        if (l.maxLineLength() < 256) throw n.required("max_line_length").error("must be at least 256");
        if (l.maxRequestBytes() < l.maxLineLength()) throw n.required("max_request_bytes").error("must be at least max_line_length");
        if (l.maxAttributes() < 1) throw n.required("max_attributes").error("must be at least 1");
        n.finish();
        return l;
    }
}
