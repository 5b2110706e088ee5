package org.decency.checks.spf;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.decency.dns.Dns;

/**
 * An SPF evaluator (RFC 7208) asking DNS through {@link Dns} only. Each
 * {@link #evaluate} is one check_host() run with its own limits and deadline: what DNS
 * has not answered within {@code budget} counts as a timeout (temperror).
 */
public final class SpfEvaluator {
    /** The default explanation's address; {@code s=} names the identity. */
    static final String WHY_PAGE = "Please see http://www.open-spf.org/Why?s=%s;id=%%{S};ip=%%{C};r=%%{R}";

    private final Dns dns;
    private final Duration budget;
    private final String receiver;
    private final Clock clock;
    private final MacroString defaultExplanation;

    /**
     * @param receiver this host's name, for the {@code r} macro and Received-SPF
     */
    public SpfEvaluator(Dns dns, Duration budget, String receiver, Clock clock) {
        this(dns, budget, receiver, clock, null);
    }

    private SpfEvaluator(Dns dns, Duration budget, String receiver, Clock clock, MacroString defaultExplanation) {
        this.dns = Objects.requireNonNull(dns);
        this.budget = Objects.requireNonNull(budget);
        this.receiver = receiver == null || receiver.isBlank() ? "unknown" : receiver;
        this.clock = Objects.requireNonNull(clock);
        this.defaultExplanation = defaultExplanation;
    }

    /** The same evaluator explaining a fail with {@code template} (a macro-string) when the domain gives no exp=. */
    public SpfEvaluator withDefaultExplanation(String template) {
        try {
            return new SpfEvaluator(dns, budget, receiver, clock, MacroString.parse(template, true));
        } catch (SpfSyntaxException e) {
            throw new IllegalArgumentException("not a valid explanation: " + e.getMessage(), e);
        }
    }

    public String receiver() {
        return receiver;
    }

    /** Runs check_host() for the request's identity. */
    public SpfVerdict evaluate(SpfRequest request) {
        Objects.requireNonNull(request.ip(), "an SPF check needs the client's address");
        MacroString explanation = defaultExplanation != null ? defaultExplanation : whyPage(request.identity());
        return new CheckHost(request, new SpfLookups(dns, budget), receiver, clock, explanation).run();
    }

    private static MacroString whyPage(SpfIdentity identity) {
        try {
            return MacroString.parse(String.format(WHY_PAGE, identity.scope()), true);
        } catch (SpfSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
