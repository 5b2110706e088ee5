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
 * = the count; {@code throttle:seen:<instance>:<key>:<value>} marks a message counted at RCPT.
 */
public final class ThrottleCheck implements Check {
    private static final Duration SEEN_TTL = Duration.ofHours(1);

    private final String name;
    private final ThrottleConfig config;
    private final Store store;
    private final Clock clock;

    public ThrottleCheck(String name, ThrottleConfig config, Store store, Clock clock) {
        this.name = name;
        this.config = config;
        this.store = store;
        this.clock = clock;
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
        long now = clock.millis() / 1000;
        List<Count> taken = new ArrayList<>();
        List<String> seenMarks = new ArrayList<>();
        for (ThrottleKey key : ThrottleKey.values()) {
            String value = key.valueOf(tx, config);
            if (value.isEmpty()) continue;
            List<Limit> limits = config.limitsFor(key, value);
            if (limits.isEmpty()) continue;
            boolean messageCounted = alreadyCounted(tx, key, value);
            // Counted at RCPT, recipients included: END-OF-MESSAGE has nothing to add.
            if (messageCounted && tx.stage() == Stage.END_OF_MESSAGE) continue;
            for (Limit limit : limits) {
                if (limit.unlimited()) continue;
                long units = limit.countRecipients() ? recipients(tx) : (messageCounted ? 0 : 1);
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
            if (tx.stage() == Stage.RCPT && !messageCounted && !tx.envelope().instance().isEmpty()) {
                seenMarks.add(seenKey(tx, key, value));
            }
        }
        for (String mark : seenMarks) store.putIfAbsent(mark, "1", SEEN_TTL);
        return taken.isEmpty() ? Outcome.nothing() : Outcome.score(name, 0, taken.size() + " counters within limits");
    }

    private boolean alreadyCounted(Transaction tx, ThrottleKey key, String value) {
        String instance = tx.envelope().instance();
        return !instance.isEmpty() && store.get(seenKey(tx, key, value)).isPresent();
    }

    private static String seenKey(Transaction tx, ThrottleKey key, String value) {
        return "throttle:seen:" + tx.envelope().instance() + ":" + key.key() + ":" + value;
    }

    private static long recipients(Transaction tx) {
        if (tx.stage() == Stage.END_OF_MESSAGE) return Math.max(1, tx.envelope().recipientCount());
        return 1;
    }

}
