package org.decency.checks.honeypot;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import org.decency.config.Durations;
import org.decency.core.Action;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.Evaluation;
import org.decency.core.FinalWord;
import org.decency.core.IpAddress;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.store.Store;

/**
 * Honeypot: mail to a trap recipient (an address nobody real uses) marks the client IP
 * for {@code mark_ttl}; while marked, everything from that client is refused (or scored)
 * too. A trap hit by a client that is already marked renews the mark.
 *
 * <p>With {@code pass_for_collection} a hit is not refused: the mail is flagged
 * {@code honey} and the run ends with PREPEND, so the front door accepts it and adds
 * the instance header, and the Detective's HoneyCollector can collect it.
 */
public final class HoneypotCheck implements Check {
    /** Set on every hit in collection mode. */
    public static final String HONEY = "honey";

    private static final Set<Stage> STAGES = EnumSet.of(Stage.CONNECT, Stage.HELO, Stage.MAIL, Stage.RCPT);
    private static final String KEY_PREFIX = "honeypot:";

    private final String name;
    private final HoneypotConfig config;
    private final Store store;
    private final Clock clock;

    public HoneypotCheck(String name, HoneypotConfig config, CheckEnvironment env) {
        this.name = name;
        this.config = config;
        this.store = env.store();
        this.clock = env.clock();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Stage> stages() {
        return STAGES;
    }

    @Override
    public Outcome evaluate(Transaction tx, Evaluation run) {
        IpAddress ip = tx.connection().ip();
        if (ip == null) return Outcome.nothing();
        String key = KEY_PREFIX + ip;
        boolean marked = store.get(key).isPresent();
        boolean trap = tx.stage() == Stage.RCPT && config.isTrap(tx.recipient());
        if (trap) store.put(key, Long.toString(clock.instant().getEpochSecond()), config.markTtl());
        if (marked) return hit(config.rejectMessage(), "client " + ip + " hit a honeypot before");
        if (trap) {
            return hit(config.welcomeMessage(), "recipient " + tx.recipient().normalized() + " is a honeypot; client "
                    + ip + " marked for " + Durations.format(config.markTtl()));
        }
        return Outcome.nothing();
    }

    private Outcome hit(String text, String detail) {
        if (config.passForCollection()) return Outcome.finalWord(name, new FinalWord(Action.PREPEND, ""), detail).withFlag(HONEY);
        if (config.score().isPresent()) return Outcome.score(name, config.score().getAsDouble(), detail).withMessage(text);
        return Outcome.finalWord(name, FinalWord.reject(text), detail);
    }
}
