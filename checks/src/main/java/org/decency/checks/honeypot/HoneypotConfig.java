package org.decency.checks.honeypot;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.decency.config.ConfigNode;
import org.decency.core.MailAddress;

/**
 * The settings of a Honeypot module. Example:
 *
 * <pre>{@code
 * - Honeypot:
 *     addresses: [trap@example.org]          # full recipient addresses
 *     domains:                               # every address of these domains ...
 *       - honey.example.org
 *       - domain: example.net                # ... except these local parts
 *         exceptions: [postmaster, abuse]
 *     reject_message: Your host ip is blacklisted.      # for a client marked earlier
 *     welcome_message: The honey has been served.       # for the trap hit itself
 *     mark_ttl: 14d            # how long a client IP stays marked (alias maintenance_ttl)
 *     score: -50               # optional: add this score instead of rejecting outright
 *     pass_for_collection: 0   # 1: accept the mail, flag it "honey" for the Detective
 * }</pre>
 *
 * <p>{@code negative_cache} is accepted for compatibility with the seeds and has no
 * effect: marks are looked up in the store, which answers from memory.
 *
 * @param traps             the trap recipients ({@code addresses}, {@code domains}; see {@link TrapAddresses})
 * @param score             empty: a hit rejects; else the (negative) score a hit adds
 * @param passForCollection a hit accepts the mail (PREPEND) and flags it {@code honey}
 * @param negativeCache     accepted, without effect
 */
public record HoneypotConfig(TrapAddresses traps, String rejectMessage,
                             String welcomeMessage, Duration markTtl, OptionalDouble score,
                             boolean passForCollection, boolean negativeCache) {

    public static final String DEFAULT_REJECT_MESSAGE = "Your host ip is blacklisted.";
    public static final String DEFAULT_WELCOME_MESSAGE = "The honey has been served.";
    public static final Duration DEFAULT_MARK_TTL = Duration.ofDays(14);

    /** Reads the module's settings; the caller then calls {@link ConfigNode#finish()}. */
    public static HoneypotConfig from(ConfigNode node) {
        TrapAddresses traps = TrapAddresses.read(node);
        String reject = node.string("reject_message", DEFAULT_REJECT_MESSAGE);
        String welcome = node.string("welcome_message", DEFAULT_WELCOME_MESSAGE);
        ConfigNode ttlNode = node.child("mark_ttl", "maintenance_ttl").orElse(null);
        Duration ttl = ttlNode == null ? DEFAULT_MARK_TTL : ttlNode.asDuration();
        if (ttl.isZero()) throw ttlNode.error("must be more than 0");
        boolean pass = node.bool("pass_for_collection", false);
        OptionalDouble score = OptionalDouble.empty();
        var scoreNode = node.child("score");
        if (scoreNode.isPresent()) {
            double s = scoreNode.get().asNumber();
            if (s >= 0) throw scoreNode.get().error("must be negative (negative scores count as spam), got " + scoreNode.get().text());
            if (pass) throw scoreNode.get().error("cannot be combined with pass_for_collection, which accepts the mail anyway");
            score = OptionalDouble.of(s);
        }
        boolean negativeCache = node.bool("negative_cache", true);
        return new HoneypotConfig(traps, reject, welcome, ttl, score, pass, negativeCache);
    }

    /** Trap recipient addresses, lower-case. */
    public Set<String> addresses() {
        return traps.addresses();
    }

    /** Trap domains, each with the local parts (lower-case) that are not traps. */
    public Map<String, Set<String>> domains() {
        return traps.domains();
    }

    /** True when mail to {@code recipient} can only come from someone who harvested the address. */
    public boolean isTrap(MailAddress recipient) {
        return traps.isTrap(recipient);
    }
}
