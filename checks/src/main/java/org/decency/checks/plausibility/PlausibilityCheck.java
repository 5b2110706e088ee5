package org.decency.checks.plausibility;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.decency.checks.support.Deadline;
import org.decency.checks.support.DnsLookups;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.IpAddress;
import org.decency.core.MailAddress;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.dns.Dns;

/**
 * Plausibility: policyd-weight's HELO, reverse DNS, dial-up and sender checks as
 * scores, each under policyd-weight's name ({@code CL_IP_NE_HELO=-37.5}). Every lookup
 * starts at once and is bounded by the module's budget; a rule whose answer did not
 * come scores nothing, and a 0 under the module's name says which questions went
 * unanswered. As policyd-weight, the null sender and mail to postmaster or abuse are
 * not judged; local clients neither.
 */
public final class PlausibilityCheck implements Check {
    private static final Set<Stage> STAGES = EnumSet.of(Stage.MAIL, Stage.RCPT, Stage.DATA, Stage.END_OF_MESSAGE);

    private final String name;
    private final String usualName;
    private final PlausibilityConfig config;
    private final Dns dns;

    /** @param usualName the module's own name (Plausibility or PolicydWeight): under it, codes are unprefixed */
    public PlausibilityCheck(String name, String usualName, PlausibilityConfig config, Dns dns) {
        this.name = name;
        this.usualName = usualName;
        this.config = config;
        this.dns = dns;
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
    public boolean blocking() {
        return true;
    }

    /** The outcome depends on the client, the HELO and the sender; mail to postmaster is never reused. */
    @Override
    public String cacheKey(Transaction tx) {
        if (toPostmaster(tx)) return null;
        return tx.clientAddress() + "|" + tx.connection().helo().strip().toLowerCase(Locale.ROOT) + "|" + tx.sender().raw();
    }

    @Override
    public Outcome evaluate(Transaction tx, Evaluation run) {
        IpAddress client = tx.connection().ip();
        MailAddress sender = tx.sender();
        if (sender.isNull()) return skipped("null sender");
        if (client == null) return skipped("no client address");
        if (client.isLoopback()) return skipped("local client");
        if (toPostmaster(tx)) return skipped("mail for " + tx.recipient().raw());

        DnsLookups lookups = new DnsLookups(dns, Deadline.after(config.budget()));
        PlausibilityFacts facts = PlausibilityFacts.gather(lookups, client, HeloForm.of(tx.connection().helo()), sender);
        Findings out = new Findings(name, usualName, config);
        HeloStanding standing = HeloRules.judge(facts, out);
        ReverseRules.judge(facts, standing, out);
        DialupRules.judge(facts, standing, config.dialup(), out);
        SenderRules.judge(facts, standing, config.bogus(), out);
        Outcome o = out.outcome(facts.unanswered());
        return facts.unanswered().isEmpty() ? o : o.asTemporary(); // a slow DNS's answer is not kept by the result cache
    }

    private static boolean toPostmaster(Transaction tx) {
        String local = tx.recipient().localPart().toLowerCase(Locale.ROOT);
        return local.equals("postmaster") || local.equals("abuse");
    }

    private Outcome skipped(String why) {
        return Outcome.score(name, 0, "not judged: " + why);
    }
}
