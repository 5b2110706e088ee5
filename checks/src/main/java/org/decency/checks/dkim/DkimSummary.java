package org.decency.checks.dkim;

import java.util.List;

/**
 * One result for a whole mail from the results of its signatures: a pass of any signature
 * wins, then fail, permerror, policy, temperror, neutral; none when unsigned. Signatures
 * whose key is in testing mode (t=y) count as absent, as RFC 6376 3.6.1 asks, unless
 * {@code withTesting}.
 */
public final class DkimSummary {
    private static final List<DkimResult> RANK = List.of(DkimResult.PASS, DkimResult.FAIL, DkimResult.PERMERROR,
            DkimResult.POLICY, DkimResult.TEMPERROR, DkimResult.NEUTRAL, DkimResult.NONE);

    private DkimSummary() {}

    public static DkimResult overall(List<SignatureResult> results, boolean withTesting) {
        DkimResult best = DkimResult.NONE;
        for (SignatureResult r : results) {
            if (r.testing() && !withTesting) continue;
            if (RANK.indexOf(r.result()) < RANK.indexOf(best)) best = r.result();
        }
        return best;
    }

    /** True when some signature could not be checked for a passing reason (DNS). */
    public static boolean temporary(List<SignatureResult> results) {
        return results.stream().anyMatch(r -> r.result() == DkimResult.TEMPERROR);
    }
}
