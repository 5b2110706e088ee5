package org.decency.checks.association;

import java.util.EnumSet;
import java.util.Set;
import org.decency.checks.support.Deadline;
import org.decency.checks.support.DnsLookups;
import org.decency.checks.support.ScoreCodes;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.IpAddress;
import org.decency.core.MailAddress;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.dns.Dns;

/**
 * Association: is the client related to the sender domain? Scores the strongest
 * relation {@link AssociationJudge} finds, under its own code ({@code CL_IP_EQ_FROM_MX=20});
 * a positive score sets the flag {@value #FLAG} (Greylist's {@code ignore_ip_if_validated}
 * reads it). Every lookup starts at once and is bounded by the module's budget; an
 * unanswered question never leads to a "no hit". Skipped for the null sender, local
 * clients and, with {@code respect_spf_pass}, mail whose SPF passed.
 */
public final class AssociationCheck implements Check {
    public static final String FLAG = "assoc_ok";
    static final String USUAL_NAME = "Association";
    private static final Set<Stage> STAGES = EnumSet.of(Stage.MAIL, Stage.RCPT, Stage.DATA, Stage.END_OF_MESSAGE);

    private final String name;
    private final AssociationConfig config;
    private final AssociationJudge judge;
    private final Dns dns;

    public AssociationCheck(String name, AssociationConfig config, Dns dns) {
        this.name = name;
        this.config = config;
        this.judge = new AssociationJudge(config);
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

    /** The outcome depends on the client, the sender domain and the HELO name only. */
    @Override
    public String cacheKey(Transaction tx) {
        return tx.clientAddress() + "|" + tx.sender().domain() + "|" + tx.connection().helo().strip().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public Outcome evaluate(Transaction tx, Evaluation run) {
        IpAddress client = tx.connection().ip();
        MailAddress sender = tx.sender();
        if (sender.isNull() || sender.domain().isEmpty()) return skipped("no sender domain");
        if (client == null) return skipped("no client address");
        if (client.isLoopback()) return skipped("local client");
        if (config.respectSpfPass() && run.hasFlag("spf_pass")) return skipped("SPF passed");
        String domain = DnsLookups.normal(sender.domain());
        if (domain.startsWith("[")) return literal(client, domain);
        if (!domain.contains(".")) return skipped("sender domain " + domain + " is not fully qualified");

        DnsLookups lookups = new DnsLookups(dns, Deadline.after(config.budget()));
        AssociationFacts facts = AssociationFacts.gather(lookups, client, domain, heloName(tx), config.confirmPtr());
        Outcome o = outcome(judge.judge(facts));
        return facts.unanswered().isEmpty() ? o : o.asTemporary(); // a slow DNS's answer is not kept by the result cache
    }

    /** A sender domain written as an address literal: a direct hit when it is the client. */
    private Outcome literal(IpAddress client, String domain) {
        boolean same = IpAddress.parse(domain).map(client::equals).orElse(false);
        return outcome(same && config.directHit() != 0
                ? new AssociationJudge.Finding(AssociationJudge.DIRECT, config.directHit(), "client " + client + " is the sender domain " + domain, "")
                : new AssociationJudge.Finding(AssociationJudge.NO_HIT, config.noHit(), "no hit: sender domain " + domain + " is another address",
                        "Sender IP not associated with sender domain"));
    }

    private Outcome outcome(AssociationJudge.Finding f) {
        if (f.code() == null) return Outcome.score(name, 0, f.detail());
        Outcome o = Outcome.score(ScoreCodes.of(name, USUAL_NAME, f.code()), f.weight(), f.detail());
        if (!f.message().isEmpty()) o = o.withMessage(f.message());
        return f.weight() > 0 ? o.withFlag(FLAG) : o;
    }

    private Outcome skipped(String why) {
        return Outcome.score(name, 0, "not judged: " + why);
    }

    /** The HELO when it is a host name with a dot (an address literal says nothing about a domain). */
    private static String heloName(Transaction tx) {
        String h = DnsLookups.normal(tx.connection().helo());
        if (h.isEmpty() || !h.contains(".") || h.startsWith("[") || IpAddress.parse(h).isPresent()) return null;
        return h;
    }
}
