package org.decency.checks.throttle;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.checks.support.MessageMarks;
import org.decency.store.Store;

/**
 * Rate limits per client, sender, sender domain, SASL user, recipient and recipient
 * domain, each over one or more intervals. Counters live in the store in fixed
 * windows aligned to the epoch; N mails per window pass, the (N+1)th is refused, and
 * refused attempts are not counted. Counting is atomic in the store, so instances
 * sharing a store never let more through than the limit. At RCPT a message counts once (per Postfix
 * {@code instance}), each request one recipient; at END-OF-MESSAGE a message counts
 * once and recipients by {@code recipient_count}, unless it was counted at RCPT already.
 *
 * <p>Store keys: {@code throttle:<key>:<value>:<mails|recipients>:<interval>:<window start>}
 * = the count. Which messages were counted at RCPT is kept in {@link MessageMarks}.
 */
public final class ThrottleCheck implements Check {

    private final String name;
    private final ThrottleConfig config;
    private final Store store;
    private final MessageMarks marks;
    private final Clock clock;

    public ThrottleCheck(String name, ThrottleConfig config, Store store, Clock clock) {
        this.name = name;
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.marks = new MessageMarks(clock);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Stage> stages() {
        return Set.of(Stage.RCPT, Stage.END_OF_MESSAGE);
    }

    private record Count(String key, long units, Duration ttl) {}

    @Override
    public Outcome evaluate(Transaction tx, Evaluation run) {
        if (config.requireSaslUsername() && tx.connection().saslUsername().isEmpty()) return Outcome.nothing();
        String instance = tx.envelope().instance();
        // Sender-side keys (client, sender, SASL user, account) are the same for every
        // recipient of a message: they count the message once, at its first RCPT.
        boolean messageCounted = !instance.isEmpty() && marks.has(instance);
        long now = clock.millis() / 1000;
        List<Count> taken = new ArrayList<>();
        List<String> domainMarks = new ArrayList<>(1);
        for (ThrottleKey key : ThrottleKey.values()) {
            // Counted at RCPT, recipients included: END-OF-MESSAGE has nothing to add.
            if (messageCounted && tx.stage() == Stage.END_OF_MESSAGE) break;
            String value = key.valueOf(tx, config);
            if (value.isEmpty()) continue;
            List<Limit> limits = config.limitsFor(key, value);
            if (limits.isEmpty()) continue;
            // A recipient domain counts once per message too, however many of its addresses
            // the message goes to; each recipient address counts on its own.
            String domainMark = key == ThrottleKey.RECIPIENT_DOMAIN && !instance.isEmpty() ? instance + ":" + value : null;
            boolean counted = key.perRecipient() ? domainMark != null && marks.has(domainMark) : messageCounted;
            for (Limit limit : limits) {
                if (limit.unlimited()) continue;
                long units = limit.countRecipients() ? recipients(tx) : (counted ? 0 : 1);
                if (units == 0) continue;
                long interval = limit.interval().toSeconds();
                long windowStart = now - now % interval;
                String unit = limit.countRecipients() ? "recipients" : "mails";
                String counter = "throttle:" + key.key() + ":" + value + ":" + unit + ":" + interval + ":" + windowStart;
                Duration ttl = Duration.ofSeconds(interval);
                // Take the units first and give them back when over the limit: concurrent
                // requests can then never both squeeze in under one remaining slot.
                long used = store.increment(counter, units, ttl);
                if (used > limit.maximum()) {
                    store.increment(counter, -units, ttl);
                    for (Count c : taken) store.increment(c.key(), -c.units(), c.ttl());
                    String what = key.key() + " " + value + ": " + (used - units) + "/" + limit.maximum()
                            + " " + unit + " in " + interval + "s";
                    return Outcome.finalWord(name, config.refusal(limit), what + ", limit reached");
                }
                taken.add(new Count(counter, units, ttl));
            }
            if (domainMark != null && tx.stage() == Stage.RCPT) domainMarks.add(domainMark);
        }
        for (String m : domainMarks) marks.add(m);
        if (tx.stage() == Stage.RCPT && !messageCounted && !instance.isEmpty()) marks.add(instance);
        return taken.isEmpty() ? Outcome.nothing() : Outcome.score(name, 0, taken.size() + " counters within limits");
    }

    private static long recipients(Transaction tx) {
        if (tx.stage() == Stage.END_OF_MESSAGE) return Math.max(1, tx.envelope().recipientCount());
        return 1;
    }

}
