package org.decency.checks.plausibility;

import java.util.Locale;

/**
 * The rules of the Plausibility check: policyd-weight's findings, each under the name
 * policyd-weight logs it by. The default weight is policyd-weight's default score
 * with the sign turned (its positive means spam, ours ham), before the module's
 * {@code factor}; {@link #source} says where it comes from.
 */
public enum PlausibilityRule {
    // client IP vs HELO
    CL_IP_EQ_HELO_IP(2, "@helo_score, miss score -2"),
    CL_IP_EQ_HELO_MX(3.1, "@helo_from_mx_eq_ip_score, miss score -3.1"),
    HELO_IP_IN_CL_SUBNET(1.2, "@helo_ip_in_client_subnet, miss score -1.2"),
    HELO_IP_IN_CL16_SUBNET(0.41, "@helo_ip_in_cl16_subnet, miss score -0.41"),
    CL_IP_NE_HELO(-1.5, "@helo_score, hit score 1.5"),
    HELO_NO_A(-1.5, "@helo_score, hit score 1.5 (policyd-weight logs a HELO without addresses as CL_IP_NE_HELO)"),
    HELO_NUMERIC(-2.5, "@helo_numeric_score, hit score 2.5"),
    // reverse DNS
    REV_IP_EQ_HELO(1.25, "@client_ip_eq_helo_score, miss score -1.25"),
    REV_IP_EQ_HELO_DOMAIN(1.25, "@client_ip_eq_helo_score, miss score -1.25"),
    RESOLVED_IP_IS_NOT_HELO(-1.5, "@client_ip_eq_helo_score, hit score 1.5"),
    NO_REVERSE(-0.5, "NO_DNS_RECORDS, fixed 0.5"),
    REV_IP_NOT_CONFIRMED(-0.5, "none in policyd-weight; ours, as NO_REVERSE"),
    // dial-up pools
    CL_SEEMS_DIALUP(-3.75, "@client_seems_dialup_score, hit score 3.75"),
    HELO_SEEMS_DIALUP(-1.5, "@helo_seems_dialup, hit score 1.5"),
    NOK_HELO_SEEMS_DIALUP(-2, "@failed_helo_seems_dialup, hit score 2"),
    // sender
    SENDER_NO_MX_OR_A(-2.1, "@bogus_mx_score, hit score 2.1 (policyd-weight logs it as BOGUS_MX)"),
    BOGUS_MX(-2.1, "@bogus_mx_score, hit score 2.1"),
    RANDOM_SENDER(-0.25, "@random_sender_score, hit score 0.25"),
    FROM_MULTIPARTED(-1.09, "@from_multiparted, hit score 1.09"),
    FROM_NBDY_ANON(-1.17, "@from_anon, hit score 1.17");

    private final double defaultWeight;
    private final String source;

    PlausibilityRule(double defaultWeight, String source) {
        this.defaultWeight = defaultWeight;
        this.source = source;
    }

    /** The config key of this rule's weight: {@code weight_cl_ip_ne_helo}. */
    public String key() {
        return "weight_" + name().toLowerCase(Locale.ROOT);
    }

    public double defaultWeight() {
        return defaultWeight;
    }

    /** Where the default weight comes from in policyd-weight. */
    public String source() {
        return source;
    }
}
