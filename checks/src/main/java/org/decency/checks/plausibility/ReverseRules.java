package org.decency.checks.plausibility;

import java.util.List;
import org.decency.checks.support.RegistrableDomain;
import org.decency.checks.support.ReverseNames;

/**
 * The client's reverse DNS:
 *
 * <ul>
 *   <li>{@code NO_REVERSE}: the client address has no PTR record;</li>
 *   <li>{@code REV_IP_NOT_CONFIRMED}: none of its PTR names resolves back to it (no forward-confirmed reverse DNS);</li>
 * </ul>
 *
 * and, as policyd-weight, only when the HELO did not vouch for the client: the PTR names against the HELO,
 *
 * <ul>
 *   <li>{@code REV_IP_EQ_HELO}: a PTR name is the HELO;</li>
 *   <li>{@code REV_IP_EQ_HELO_DOMAIN}: a PTR name is in the HELO's registrable domain;</li>
 *   <li>{@code RESOLVED_IP_IS_NOT_HELO}: PTR names exist, none matches the HELO.</li>
 * </ul>
 */
final class ReverseRules {
    private ReverseRules() {}

    static void judge(PlausibilityFacts f, HeloStanding standing, Findings out) {
        ReverseNames r = f.reverse();
        if (r.none()) {
            out.add(PlausibilityRule.NO_REVERSE, "client " + f.client() + " has no PTR record");
            return;
        }
        List<String> names = r.names();
        if (names.isEmpty()) return; // unanswered
        if (r.complete() && r.confirmed().isEmpty()) {
            out.add(PlausibilityRule.REV_IP_NOT_CONFIRMED, "client name " + String.join(", ", names)
                    + " does not resolve back to " + f.client());
        }
        HeloForm helo = f.helo();
        boolean vouched = standing.verified() && !standing.untrusted();
        if (!standing.known() || vouched || helo.kind() == HeloForm.Kind.NONE) return;
        if (names.contains(helo.name())) {
            out.add(PlausibilityRule.REV_IP_EQ_HELO, "client name " + helo.name() + " is the HELO");
        } else if (helo.isName() && names.stream().anyMatch(n -> RegistrableDomain.same(n, helo.name()))) {
            out.add(PlausibilityRule.REV_IP_EQ_HELO_DOMAIN, "client name " + String.join(", ", names)
                    + " is in the HELO's domain " + RegistrableDomain.of(helo.name()));
        } else {
            out.add(PlausibilityRule.RESOLVED_IP_IS_NOT_HELO, "client name " + String.join(", ", names)
                    + " does not match HELO \"" + helo.text() + "\"");
        }
    }
}
