package org.decency.checks.basic;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;

/**
 * The settings of a Basic module: one score per plausibility rule; 0 (the default)
 * turns a rule off. Example:
 *
 * <pre>{@code
 * - Basic:
 *     weight_helo_missing: -20             # no HELO/EHLO at all
 *     weight_helo_bare_ip: -40             # HELO 192.0.2.1 without brackets
 *     weight_helo_localhost: -80           # HELO localhost (or [127.0.0.1]) from a remote client
 *     weight_helo_is_us: -80               # HELO with our own host name or address
 *     weight_helo_literal_mismatch: -20    # HELO [192.0.2.1] from another address
 *     weight_invalid_helo_hostname: -100   # HELO that is no host name at all
 *     weight_non_fqdn_helo_hostname: -50   # HELO with a single label
 *     weight_non_fqdn_sender: -100         # MAIL FROM:<user@localdomain>
 *     weight_non_fqdn_recipient: -100      # RCPT TO:<user@localdomain>
 * }</pre>
 *
 * <p>The seeds' DNS rules ({@code weight_unknown_helo_hostname}, {@code _sender_domain},
 * {@code _recipient_domain}, {@code _reverse_client_hostname}, {@code _client_hostname})
 * are accepted and reported as not available yet: they need the DNS layer.
 */
public record BasicConfig(Map<BasicRule, Double> weights) {

    static final List<String> DNS_RULES = List.of("weight_unknown_helo_hostname", "weight_unknown_sender_domain",
            "weight_unknown_recipient_domain", "weight_unknown_reverse_client_hostname", "weight_unknown_client_hostname");

    public BasicConfig {
        weights = Map.copyOf(weights);
    }

    /** Reads the weights; the caller then calls {@link ConfigNode#finish()}. */
    public static BasicConfig from(ConfigNode n, CheckEnvironment env) {
        Map<BasicRule, Double> weights = new EnumMap<>(BasicRule.class);
        for (BasicRule rule : BasicRule.values()) {
            double w = n.number(rule.key(), 0);
            if (w > 0) throw n.required(rule.key()).error("must be 0 (off) or negative (negative scores count as spam), got " + w);
            if (w != 0) weights.put(rule, w);
        }
        for (String key : DNS_RULES) {
            n.child(key).ifPresent(v -> {
                if (v.asNumber() != 0) env.warn(v, "needs DNS lookups, which come with the DNS checks; not applied yet");
            });
        }
        return new BasicConfig(weights);
    }

    double weight(BasicRule rule) {
        return weights.getOrDefault(rule, 0.0);
    }
}
