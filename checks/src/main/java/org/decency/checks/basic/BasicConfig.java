package org.decency.checks.basic;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.decency.checks.support.Deadline;
import org.decency.config.ConfigNode;

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
 *     # these ask DNS:
 *     weight_unknown_helo_hostname: -50    # the HELO name has no A, AAAA or MX record
 *     weight_unknown_sender_domain: -50    # the sender domain has no A, AAAA or MX record, or a null MX
 *     weight_unknown_recipient_domain: -50 # the same for the recipient domain
 *     weight_unknown_reverse_client_hostname: -50   # the client address has no PTR record
 *     weight_unknown_client_hostname: -50  # ... or none of its PTR names resolves back to it
 * }</pre>
 *
 * @param budget how long the DNS rules' lookups may take: nine tenths of the module's {@code timeout}
 */
public record BasicConfig(Map<BasicRule, Double> weights, Duration budget) {

    public BasicConfig {
        weights = Map.copyOf(weights);
    }

    /** Reads the weights; the caller then calls {@link ConfigNode#finish()}. */
    public static BasicConfig from(ConfigNode n) {
        Map<BasicRule, Double> weights = new EnumMap<>(BasicRule.class);
        for (BasicRule rule : BasicRule.values()) {
            double w = n.number(rule.key(), 0);
            if (w > 0) throw n.required(rule.key()).error("must be 0 (off) or negative (negative scores count as spam), got " + w);
            if (w != 0) weights.put(rule, w);
        }
        return new BasicConfig(weights, Deadline.budgetOf(n));
    }

    double weight(BasicRule rule) {
        return weights.getOrDefault(rule, 0.0);
    }

    boolean on(BasicRule rule) {
        return weight(rule) != 0;
    }

    /** True when a rule that asks DNS is switched on. */
    boolean needsDns() {
        return weights.keySet().stream().anyMatch(BasicRule::dns);
    }
}
