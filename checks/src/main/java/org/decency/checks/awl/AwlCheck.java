package org.decency.checks.awl;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.decency.core.Action;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.FinalWord;
import org.decency.core.IpAddress;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.checks.support.MessageMarks;
import org.decency.store.Store;

/**
 * AWL, the automatic whitelist: a (client net, sender) pair whose mails passed
 * {@code pass_count} times with a good score is trusted: later mails from it get a
 * positive score (or, with {@code final_ok}, OK and the flag {@code whitelisted}).
 * Learning happens after each decision: a pass that the other checks scored at least
 * {@code min_score} counts once per message (Postfix's {@code instance}); a rejection
 * clears the pair when {@code forget_on_reject} is set.
 *
 * <p>Store keys: {@code awl:<scope>:<net>:<sender>} = count of good mails;
 * which messages were already counted is kept in {@link MessageMarks}.
 */
public final class AwlCheck implements Check {
    private static final Set<Stage> STAGES = EnumSet.of(Stage.MAIL, Stage.RCPT);

    private final String name;
    private final AwlConfig config;
    private final Store store;
    private final MessageMarks marks;

    public AwlCheck(String name, AwlConfig config, Store store, java.time.Clock clock) {
        this.name = name;
        this.config = config;
        this.store = store;
        this.marks = new MessageMarks(clock);
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
        String pair = pair(tx);
        if (pair == null) return Outcome.nothing();
        long good = store.get(pair).map(AwlCheck::parse).orElse(0L);
        if (good < config.passCount()) return Outcome.score(name, 0, "pair seen " + good + "/" + config.passCount() + " times");
        String detail = "trusted after " + good + " good mails";
        if (config.finalOk()) return Outcome.finalWord(name, FinalWord.ok(""), detail).withFlag("whitelisted");
        return Outcome.score(name, config.weight(), detail);
    }

    @Override
    public void decided(Transaction tx, Verdict verdict) {
        String pair = pair(tx);
        if (pair == null) return;
        if (verdict.action().refuses()) {
            boolean byThresholdOrBlacklist = verdict.action() == Action.REJECT || verdict.action() == Action.REPLY
                    && verdict.text().startsWith("5");
            if (config.forgetOnReject() && byThresholdOrBlacklist) store.delete(pair);
            return;
        }
        // Our own OK (final_ok) is a good mail too: it must renew the trust like any other.
        boolean ownOk = verdict.action() == Action.OK && verdict.decidedBy().equals(name);
        if (verdict.action() != Action.DUNNO && verdict.action() != Action.PREPEND && !ownOk) return;
        if (othersTotal(verdict) < config.minScore()) return;
        String instance = tx.envelope().instance();
        if (!instance.isEmpty() && !marks.add(instance + ":" + pair)) return;
        long n = store.increment(pair, 1, config.lifetime());
        if (n > config.passCount()) store.expire(pair, config.lifetime()); // a trusted pair's lifetime slides
    }

    /** The verdict's total without this check's own contribution, so trust does not feed itself. */
    private double othersTotal(Verdict v) {
        double own = 0;
        for (Score s : v.scores()) if (s.code().equals(name)) own += s.delta();
        return v.total() - own;
    }

    private String pair(Transaction tx) {
        IpAddress ip = tx.connection().ip();
        if (ip == null) return null;
        String net = config.net().of(ip);
        return switch (config.scope()) {
            case CLIENT -> "awl:client:" + net;
            case SENDER -> tx.sender().isNull() ? null : "awl:sender:" + net + ":" + tx.sender().normalized();
            case SENDER_DOMAIN -> tx.sender().domain().isEmpty() ? null : "awl:domain:" + net + ":" + tx.sender().domain();
        };
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
