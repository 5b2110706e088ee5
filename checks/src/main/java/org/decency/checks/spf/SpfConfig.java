package org.decency.checks.spf;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;
import org.decency.pipeline.ModuleOptions;

/**
 * The settings of an SPF module: a score per result (the seeds' keys and code
 * defaults), whether a fail rejects at once, and whether the HELO identity is checked
 * before MAIL FROM. Example (the defaults):
 *
 * <pre>{@code
 * - SPF:
 *     weight_pass: 10
 *     weight_none: 0
 *     weight_neutral: -20
 *     weight_neutral_by_default: -20   # neutral because no mechanism matched
 *     weight_softfail: -20
 *     weight_fail: -50
 *     weight_temperror: 0
 *     weight_permerror: -20
 *     weight_error: 0            # accepted (Mail::SPF's catch-all); never applies
 *     reject_on_fail: 0          # 1: a fail answers REJECT with the SPF explanation
 *     check_helo: 0              # 1: check the HELO identity first; its fail decides
 *     versions: [1]              # the seeds' [1, 2]: 2 (Sender ID, spf2.0) is not evaluated
 * }</pre>
 *
 * <p>The evaluation has its own deadline, a little under the module's {@code timeout}, so a
 * name that never answers ends as temperror (scored, flagged) and not as a module timeout.
 *
 * @param weights          the score of each result; neutral stands for a neutral some mechanism gave
 * @param neutralByDefault the score of a neutral because nothing matched
 * @param budget           how long one evaluation may wait for DNS in all
 */
public record SpfConfig(Map<SpfResult, Double> weights, double neutralByDefault, boolean rejectOnFail,
                        boolean checkHelo, Duration budget) {

    static final Map<SpfResult, Double> DEFAULTS = Map.of(SpfResult.PASS, 10.0, SpfResult.NONE, 0.0,
            SpfResult.NEUTRAL, -20.0, SpfResult.SOFTFAIL, -20.0, SpfResult.FAIL, -50.0, SpfResult.TEMPERROR, 0.0,
            SpfResult.PERMERROR, -20.0);
    static final double DEFAULT_NEUTRAL_BY_DEFAULT = -20;

    public SpfConfig {
        weights = Map.copyOf(weights);
    }

    /** Reads the module's settings; the caller then calls {@link ConfigNode#finish()}. */
    public static SpfConfig from(ConfigNode n, CheckEnvironment env) {
        Map<SpfResult, Double> weights = new EnumMap<>(SpfResult.class);
        for (SpfResult r : SpfResult.values()) weights.put(r, n.number("weight_" + r.word(), DEFAULTS.get(r)));
        double neutralByDefault = n.number("weight_neutral_by_default", DEFAULT_NEUTRAL_BY_DEFAULT);
        n.child("weight_error").ifPresent(e -> {
            if (e.asNumber() != 0) env.warn(e, "Mail::SPF's catch-all result \"error\" never happens here (a failure is temperror or permerror); ignored");
        });
        readVersions(n, env);
        boolean reject = n.bool("reject_on_fail", false);
        boolean helo = n.bool("check_helo", false);
        Duration timeout = n.duration("timeout", ModuleOptions.DEFAULT_TIMEOUT);
        Duration margin = timeout.dividedBy(5).compareTo(Duration.ofSeconds(1)) < 0 ? timeout.dividedBy(5) : Duration.ofSeconds(1);
        return new SpfConfig(weights, neutralByDefault, reject, helo, timeout.minus(margin));
    }

    private static void readVersions(ConfigNode n, CheckEnvironment env) {
        ConfigNode v = n.child("versions").orElse(null);
        if (v == null) return;
        List<ConfigNode> items = v.isSequence() ? v.asList() : List.of(v);
        boolean one = false;
        for (ConfigNode item : items) {
            switch (item.asInt()) {
                case 1 -> one = true;
                case 2 -> env.warn(item, "2 (Sender ID, spf2.0 records) is not evaluated; only v=spf1 records are");
                default -> throw item.error("expected 1 (v=spf1) or 2 (spf2.0), got " + item.text());
            }
        }
        if (!one) throw v.error("must include 1: v=spf1 is the version evaluated");
    }

    /** The score of a verdict. */
    public double weight(SpfVerdict v) {
        return v.byDefault() ? neutralByDefault : weights.get(v.result());
    }
}
