package org.decency.checks.awl;

import java.time.Duration;
import java.util.Locale;
import org.decency.checks.support.ClientNet;
import org.decency.config.ConfigNode;

/**
 * The settings of an AWL (automatic whitelist) module. Example (the defaults):
 *
 * <pre>{@code
 * - AWL:
 *     scope: sender_domain     # what is paired with the client net: sender, sender_domain or client (the net alone)
 *     client_net_v4: 24        # 32: the single address
 *     client_net_v6: 64
 *     pass_count: 5            # mails that passed with a good score before the pair is trusted
 *     min_score: 0             # a mail counts as good when the other checks' total is at least this
 *     weight: 20               # score added for a trusted pair (positive = ham)
 *     final_ok: 0              # 1: a trusted pair ends the run with OK and flag "whitelisted" instead
 *     lifetime: 60d            # counting starts over this long after a pair's first good mail;
 *                              # a trusted pair's lifetime is renewed by each good mail
 *     forget_on_reject: 1      # a rejected mail from the pair clears its count
 * }</pre>
 */
public record AwlConfig(Scope scope, ClientNet net, int passCount, double minScore, double weight, boolean finalOk,
                        Duration lifetime, boolean forgetOnReject) {

    /** What a client net is paired with. */
    public enum Scope { SENDER, SENDER_DOMAIN, CLIENT }

    public static AwlConfig from(ConfigNode n) {
        String scopeText = n.string("scope", "sender_domain");
        Scope scope;
        try {
            scope = Scope.valueOf(scopeText.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw n.required("scope").error("expected sender, sender_domain or client, got \"" + scopeText + "\"");
        }
        ClientNet net = ClientNet.read(n);
        int passCount = n.integer("pass_count", 5);
        if (passCount < 1) throw n.required("pass_count").error("must be at least 1");
        double minScore = n.number("min_score", 0);
        double weight = n.number("weight", 20);
        if (weight < 0) throw n.required("weight").error("must be 0 or positive (positive scores count as ham)");
        boolean finalOk = n.bool("final_ok", false);
        Duration lifetime = n.duration("lifetime", Duration.ofDays(60));
        if (lifetime.isZero()) throw n.required("lifetime").error("must be more than 0");
        boolean forget = n.bool("forget_on_reject", true);
        return new AwlConfig(scope, net, passCount, minScore, weight, finalOk, lifetime, forget);
    }
}
