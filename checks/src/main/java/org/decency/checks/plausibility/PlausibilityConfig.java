package org.decency.checks.plausibility;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.decency.checks.support.Deadline;
import org.decency.config.ConfigNode;

/**
 * The settings of a Plausibility module (alias PolicydWeight). Every rule has a weight
 * {@code weight_<rule>} ({@code weight_cl_ip_ne_helo: -1.5}); 0 turns it off. The
 * defaults are policyd-weight's scores with the sign turned ({@link PlausibilityRule}).
 * Each weight is multiplied by {@code factor} before it counts:
 *
 * <pre>{@code
 * - Plausibility:
 *     factor: 25                 # policyd-weight's scale to ours (see below)
 *     weight_cl_seems_dialup: -3.75
 *     dialup_patterns: ['(\.dip|cable|ppp|dial|dsl|dyn|dhcp|pool|client|rev.*?(ip|home)).*?\..*?\.', ...]
 *     dialup_exceptions: ['(mx|smtp|mail|dedicated|(\b|[^n])stat).*?\..*?\.']
 *     bogus_networks: [10.0.0.0/8, ...]
 *     reject_message: "Mail appeared to be SPAM or forged. Ask your Mail/DNS-Administrator to correct HELO and DNS MX settings"
 * }</pre>
 *
 * <p>Why 25: policyd-weight rejects at a total of 1, but a client listed on none of its
 * default DNSBLs starts at -3 (two DNSBL misses of -1.5 each), so its HELO and DNS
 * findings must add up to about 4 before a clean client is rejected; 4 times 25 is our
 * threshold of 100.
 */
public record PlausibilityConfig(Map<PlausibilityRule, Double> weights, double factor, DialupPatterns dialup,
                                 BogusNetworks bogus, String rejectMessage, Duration budget) {

    static final double DEFAULT_FACTOR = 25;
    static final String DEFAULT_MESSAGE =
            "Mail appeared to be SPAM or forged. Ask your Mail/DNS-Administrator to correct HELO and DNS MX settings";

    public PlausibilityConfig {
        weights = Map.copyOf(weights);
    }

    /** Reads the settings; the caller then calls {@link ConfigNode#finish()}. */
    public static PlausibilityConfig from(ConfigNode n) {
        Map<PlausibilityRule, Double> weights = new EnumMap<>(PlausibilityRule.class);
        for (PlausibilityRule rule : PlausibilityRule.values()) {
            double w = n.number(rule.key(), rule.defaultWeight());
            if (w != 0) weights.put(rule, w);
        }
        double factor = n.number("factor", DEFAULT_FACTOR);
        if (factor <= 0) throw n.required("factor").error("must be more than 0, got " + factor);
        return new PlausibilityConfig(weights, factor, DialupPatterns.read(n), BogusNetworks.read(n),
                n.string("reject_message", DEFAULT_MESSAGE), Deadline.budgetOf(n));
    }

    /** The weight of {@code rule} as configured (before the factor); 0 when off. */
    double weight(PlausibilityRule rule) {
        return weights.getOrDefault(rule, 0.0);
    }
}
