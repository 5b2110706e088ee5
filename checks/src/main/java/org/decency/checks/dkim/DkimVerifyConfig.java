package org.decency.checks.dkim;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;
import org.decency.pipeline.ModuleOptions;

/**
 * The settings of a DKIMVerify module. Example (the defaults, those of the seeds' code;
 * the seeds' shipped config used 50 / -100 / -50 / -10 / 0):
 *
 * <pre>{@code
 * - DKIMVerify:
 *     weight_pass: 15
 *     weight_fail: -50
 *     weight_invalid: -25        # permerror: a broken signature, a missing or revoked key
 *     weight_policy: -25         # refused by RFC 8301: rsa-sha1, an RSA key under min_rsa_bits
 *     weight_temperror: 0        # the key could not be fetched (DNS); never kept in a result cache
 *     weight_none: 0             # unsigned, or only signatures RFC 6376 says to ignore
 *     domain_weights: {}         # e.g. {paypal.com: 30}: added when a signature of that d= (or below) passes
 *     authserv_id: mx.example.org   # default: this host's name
 *     add_header: 1              # 0: no Authentication-Results field
 *     allow_rsa_sha1: 0
 *     min_rsa_bits: 1024
 *     max_signatures: 5          # verified from the top; the rest are neutral
 * }</pre>
 */
public record DkimVerifyConfig(Map<DkimResult, Double> weights, Map<String, Double> domainWeights, String authservId,
                               boolean addHeader, boolean allowSha1, int minRsaBits, int maxSignatures, Duration budget) {

    static final Map<DkimResult, Double> DEFAULTS = Map.of(DkimResult.PASS, 15.0, DkimResult.FAIL, -50.0,
            DkimResult.PERMERROR, -25.0, DkimResult.POLICY, -25.0, DkimResult.TEMPERROR, 0.0, DkimResult.NONE, 0.0);

    public DkimVerifyConfig {
        weights = Map.copyOf(weights);
        domainWeights = Map.copyOf(domainWeights);
    }

    public static DkimVerifyConfig from(ConfigNode n, CheckEnvironment env) {
        Map<DkimResult, Double> w = new EnumMap<>(DkimResult.class);
        w.put(DkimResult.PASS, n.number("weight_pass", DEFAULTS.get(DkimResult.PASS)));
        w.put(DkimResult.FAIL, n.number("weight_fail", DEFAULTS.get(DkimResult.FAIL)));
        w.put(DkimResult.PERMERROR, n.number("weight_invalid", DEFAULTS.get(DkimResult.PERMERROR)));
        w.put(DkimResult.POLICY, n.number("weight_policy", DEFAULTS.get(DkimResult.POLICY)));
        w.put(DkimResult.TEMPERROR, n.number("weight_temperror", DEFAULTS.get(DkimResult.TEMPERROR)));
        w.put(DkimResult.NONE, n.number("weight_none", DEFAULTS.get(DkimResult.NONE)));
        w.put(DkimResult.NEUTRAL, w.get(DkimResult.NONE));
        Map<String, Double> domains = new LinkedHashMap<>();
        n.child("domain_weights").ifPresent(d -> d.mapping().forEach((domain, weight) -> {
            String lower = domain.toLowerCase(Locale.ROOT);
            if (!SignatureParser.isName(lower)) throw weight.error("not a domain name: " + domain);
            domains.put(lower, weight.asNumber());
        }));
        String authserv = env.ownHostnames().isEmpty() ? "localhost" : env.ownHostnames().getFirst();
        ConfigNode id = n.child("authserv_id").orElse(null);
        if (id != null) {
            authserv = id.text().strip();
            if (!SignatureParser.isName(authserv)) throw id.error("expected a host name, got \"" + authserv + "\"");
        }
        boolean header = n.bool("add_header", true);
        boolean sha1 = n.bool("allow_rsa_sha1", false);
        int bits = n.integer("min_rsa_bits", VerifierPolicy.DEFAULT_MIN_RSA_BITS);
        if (bits < 512 || bits > 16384) throw n.required("min_rsa_bits").error("expected 512 to 16384");
        n.child("min_rsa_bits").filter(b -> bits < VerifierPolicy.DEFAULT_MIN_RSA_BITS)
                .ifPresent(b -> env.warn(b, "RSA keys under 1024 bits are accepted; RFC 8301 forbids them"));
        n.child("allow_rsa_sha1").filter(ConfigNode::asBool)
                .ifPresent(a -> env.warn(a, "rsa-sha1 signatures are accepted; RFC 8301 forbids them"));
        int max = n.integer("max_signatures", VerifierPolicy.DEFAULT_MAX_SIGNATURES);
        if (max < 1) throw n.required("max_signatures").error("must be at least 1");
        Duration timeout = n.duration("timeout", ModuleOptions.DEFAULT_TIMEOUT);
        Duration margin = timeout.dividedBy(5).compareTo(Duration.ofSeconds(1)) < 0 ? timeout.dividedBy(5) : Duration.ofSeconds(1);
        return new DkimVerifyConfig(w, domains, authserv, header, sha1, bits, max, timeout.minus(margin));
    }

    public double weight(DkimResult r) {
        return weights.get(r);
    }

    /** The sum of the domain weights of {@code domain}: its own and those of the domains above it. */
    public double domainWeight(String domain) {
        double sum = 0;
        for (Map.Entry<String, Double> e : domainWeights.entrySet()) {
            if (domain.equals(e.getKey()) || domain.endsWith("." + e.getKey())) sum += e.getValue();
        }
        return sum;
    }
}
