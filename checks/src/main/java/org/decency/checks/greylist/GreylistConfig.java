package org.decency.checks.greylist;

import java.time.Duration;
import java.util.Optional;
import org.decency.checks.support.ClientNet;
import org.decency.config.ConfigNode;
import org.decency.core.Action;
import org.decency.core.FinalWord;

/**
 * The settings of a Greylist module. Example (the defaults):
 *
 * <pre>{@code
 * - Greylist:
 *     delay: 5m                      # a retry is accepted this long after the first attempt (alias min_interval)
 *     retry_window: 2d               # a retry later than this starts over
 *     lifetime: 35d                  # a passed triplet (and the auto-whitelists) are kept this long without traffic (alias maintenance_ttl)
 *     action: DEFER_IF_PERMIT        # or DEFER, or a code such as 450
 *     reject_message: "Greylisted, please retry in %s"   # %s: the time left
 *     client_net_v4: 24              # greylist the client's /24 (32: the single address)
 *     client_net_v6: 64
 *     auto_whitelist_clients: 5      # a client net that passed this often is not greylisted any more (0: off)
 *     recipient_domain_threshold: 5  # a sender address that passed this often passes for the whole recipient domain (-1: off)
 *     sender_domain_threshold: 10    # the same for a whole sender domain (-1: off)
 *     ignore_ip_if_validated: 0      # 1: ignore the client address when SPF or Association vouched for the sender
 * }</pre>
 *
 * <p>The seeds' {@code tables:} key is accepted and has no effect (the seeds did not read it either).
 */
public record GreylistConfig(Duration delay, Duration retryWindow, Duration lifetime, String answerCode, String rejectMessage, ClientNet net, int autoWhitelistClients,
                             int recipientDomainThreshold, int senderDomainThreshold, boolean ignoreIpIfValidated) {

    public static GreylistConfig from(ConfigNode n) {
        Optional<ConfigNode> delayNode = n.child("delay", "min_interval");
        Duration delay = delayNode.map(ConfigNode::asDuration).orElse(Duration.ofMinutes(5));
        Duration window = n.duration("retry_window", Duration.ofDays(2));
        Duration lifetime = n.child("lifetime", "maintenance_ttl").map(ConfigNode::asDuration).orElse(Duration.ofDays(35));
        if (window.compareTo(delay) <= 0) {
            // Blame the key that was written: a long delay alone must not be reported as a missing retry_window.
            throw n.child("retry_window").map(w -> w.error("must be longer than delay (" + delay.toSeconds() + "s)"))
                    .orElseGet(() -> delayNode.orElseThrow().error("must be shorter than retry_window (" + window.toSeconds() + "s)"));
        }
        String action = n.string("action", "DEFER_IF_PERMIT");
        FinalWord probe;
        try {
            probe = FinalWord.parse(action, "x");
        } catch (IllegalArgumentException e) {
            throw n.required("action").error("expected DEFER_IF_PERMIT, DEFER or a 4xx code, got \"" + action + "\"");
        }
        boolean permanent = probe.action() == Action.REJECT || probe.action() == Action.REPLY && probe.text().startsWith("5");
        if (!probe.action().refuses() || permanent) {
            throw n.required("action").error("greylisting must defer: expected DEFER_IF_PERMIT, DEFER or a 4xx code, got \"" + action + "\"");
        }
        String message = n.string("reject_message", "Greylisted, please retry in %s");
        ClientNet net = ClientNet.read(n);
        int auto = n.integer("auto_whitelist_clients", 5);
        if (auto < 0) throw n.required("auto_whitelist_clients").error("expected 0 (off) or more");
        int rcptDomain = n.integer("recipient_domain_threshold", 5);
        int senderDomain = n.integer("sender_domain_threshold", 10);
        boolean ignoreIp = n.bool("ignore_ip_if_validated", false);
        n.has("tables");
        return new GreylistConfig(delay, window, lifetime, action, message, net, auto,
                rcptDomain, senderDomain, ignoreIp);
    }

    /** The answer for a deferred attempt, with the time left filled in. */
    FinalWord answer(String timeLeft) {
        String text = rejectMessage.contains("%s") ? rejectMessage.replace("%s", timeLeft) : rejectMessage;
        return FinalWord.parse(answerCode, text);
    }
}
