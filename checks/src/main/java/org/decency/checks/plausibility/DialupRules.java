package org.decency.checks.plausibility;

import java.util.Optional;

/**
 * Does the client look like a dial-up, DSL or cable pool? Not asked when the client is
 * a mail host of the sender's or the HELO's domain, or an address of the sender domain
 * (policyd-weight's {@code mx_ok} and {@code ip_eq_from}).
 *
 * <ul>
 *   <li>{@code CL_SEEMS_DIALUP}: a PTR name of the client matches a pool pattern (a name that looks
 *       like a mail server, an exception, clears the client);</li>
 *   <li>{@code HELO_SEEMS_DIALUP}: otherwise, the HELO matches one and it resolves to the client;</li>
 *   <li>{@code NOK_HELO_SEEMS_DIALUP}: the same with a HELO that does not resolve to the client.</li>
 * </ul>
 */
final class DialupRules {
    private DialupRules() {}

    static void judge(PlausibilityFacts f, HeloStanding standing, DialupPatterns dialup, Findings out) {
        if (standing.mx() || f.clientIsSenderHost() || !f.senderHostKnown()) return;
        for (String ptr : f.reverse().names()) {
            if (dialup.looksLikeMailServer(ptr)) break;
            Optional<String> p = dialup.poolPattern(ptr);
            if (p.isPresent()) {
                out.add(PlausibilityRule.CL_SEEMS_DIALUP, "client name " + ptr + " looks like a dial-up pool (" + p.get() + ")");
                return;
            }
        }
        if (!f.helo().isName() || !standing.known()) return;
        Optional<String> p = dialup.poolPattern(f.helo().name());
        if (p.isEmpty()) return;
        String detail = "HELO " + f.helo().name() + " looks like a dial-up pool (" + p.get() + ")";
        if (standing.verified()) out.add(PlausibilityRule.HELO_SEEMS_DIALUP, detail);
        else out.add(PlausibilityRule.NOK_HELO_SEEMS_DIALUP, detail);
    }
}
