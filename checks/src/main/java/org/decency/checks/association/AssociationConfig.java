package org.decency.checks.association;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.decency.checks.support.Deadline;
import org.decency.config.ConfigNode;

/**
 * The settings of an Association module; the seeds' keys and defaults:
 *
 * <pre>{@code
 * - Association:
 *     weight_direct_hit: 20     # the client is an address of the sender domain or of one of its MX hosts
 *     weight_range_hit:         # the client shares a network with such an address; narrowest prefix first
 *       31: 20
 *       30: 20
 *       29: 10
 *       28: 10
 *       27: 10
 *       26: 5
 *       25: 5
 *       24: 5
 *     weight_range_hit_v6: {64: 5}   # the same for IPv6 clients (ours; the seeds knew IPv4 only)
 *     weight_domain_hit: 15     # the client's name (forward-confirmed PTR) or verified HELO is in the sender's domain
 *     weight_no_hit: -20        # none of these; also when the sender domain does not exist
 *     respect_spf_pass: 1       # skip mail whose SPF passed (flag spf_pass)
 *     confirm_ptr: 1            # a PTR name counts only when it resolves back to the client (ours)
 * }</pre>
 *
 * <p>A weight of 0 turns its step off. Range weights must not be negative.
 *
 * @param rangesV4 narrowest prefix first
 * @param rangesV6 narrowest prefix first
 * @param budget   how long the lookups may take: nine tenths of the module's {@code timeout}
 */
public record AssociationConfig(double directHit, List<RangeWeight> rangesV4, List<RangeWeight> rangesV6,
                                double domainHit, double noHit, boolean respectSpfPass, boolean confirmPtr,
                                Duration budget) {

    static final Map<Integer, Double> SEEDS_RANGES = Map.of(31, 20.0, 30, 20.0, 29, 10.0, 28, 10.0, 27, 10.0,
            26, 5.0, 25, 5.0, 24, 5.0);

    public AssociationConfig {
        rangesV4 = List.copyOf(rangesV4);
        rangesV6 = List.copyOf(rangesV6);
    }

    /** Reads the settings; the caller then calls {@link ConfigNode#finish()}. */
    public static AssociationConfig from(ConfigNode n) {
        double direct = n.number("weight_direct_hit", 20);
        List<RangeWeight> v4 = n.child("weight_range_hit").map(r -> ranges(r, 32)).orElse(sorted(SEEDS_RANGES));
        List<RangeWeight> v6 = n.child("weight_range_hit_v6").map(r -> ranges(r, 128)).orElse(List.of(new RangeWeight(64, 5)));
        double domain = n.number("weight_domain_hit", 15);
        double noHit = n.number("weight_no_hit", -20);
        boolean spf = n.bool("respect_spf_pass", true);
        boolean confirm = n.bool("confirm_ptr", true);
        return new AssociationConfig(direct, v4, v6, domain, noHit, spf, confirm, Deadline.budgetOf(n));
    }

    private static List<RangeWeight> ranges(ConfigNode r, int maxPrefix) {
        List<RangeWeight> out = new ArrayList<>();
        for (var e : r.mapping().entrySet()) {
            int prefix;
            try {
                prefix = Integer.parseInt(e.getKey().strip());
            } catch (NumberFormatException x) {
                throw e.getValue().error("expected a prefix length from 1 to " + maxPrefix + " as the key, got \"" + e.getKey() + "\"");
            }
            if (prefix < 1 || prefix > maxPrefix) {
                throw e.getValue().error("expected a prefix length from 1 to " + maxPrefix + " as the key, got " + prefix);
            }
            double w = e.getValue().asNumber();
            if (w < 0) throw e.getValue().error("must be 0 (off) or positive: a shared network speaks for the sender, got " + w);
            if (w != 0) out.add(new RangeWeight(prefix, w));
        }
        out.sort(Comparator.comparingInt(RangeWeight::prefix).reversed());
        return out;
    }

    private static List<RangeWeight> sorted(Map<Integer, Double> m) {
        List<RangeWeight> out = new ArrayList<>();
        m.forEach((p, w) -> out.add(new RangeWeight(p, w)));
        out.sort(Comparator.comparingInt(RangeWeight::prefix).reversed());
        return out;
    }

    /** The range weights for a client of this family, narrowest prefix first. */
    List<RangeWeight> ranges(boolean v4) {
        return v4 ? rangesV4 : rangesV6;
    }
}
