package org.decency.checks.basic;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.IpAddress;
import org.decency.core.MailAddress;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.dns.Dns;

/**
 * Basic: the syntax and plausibility checks Postfix offers as hard rejects
 * ({@code reject_invalid_helo_hostname}, {@code reject_non_fqdn_sender}, ...) and
 * policyd-weight adds, turned into scores so that one slip alone need not reject a
 * mail. The {@code reject_unknown_*} rules ask DNS ({@link BasicDnsRules}); the check
 * blocks only when one of them is on. Each rule that fires adds its own score under its own code
 * ({@code BASIC_HELO_NOT_FQDN=-50}); when none fires the check reports {@code Basic=0}.
 * At most one HELO rule fires per request: the most specific one that is switched on
 * ({@code HELO localhost} from a remote client is also not fully qualified). A client on
 * this machine (loopback or one of our addresses) may call itself localhost or by our names.
 */
public final class BasicCheck implements Check {
    private static final Set<Stage> STAGES = EnumSet.of(Stage.HELO, Stage.MAIL, Stage.RCPT, Stage.DATA, Stage.END_OF_MESSAGE);
    private static final Set<String> LOCALHOST_NAMES = Set.of("localhost", "localhost.localdomain", "localhost6",
            "localhost6.localdomain6", "ip6-localhost");

    private final String name;
    private final BasicConfig config;
    private final Set<String> ownNames;
    private final Set<IpAddress> ownAddresses;
    private final BasicDnsRules dnsRules;

    public BasicCheck(String name, BasicConfig config, List<String> ownHostnames, List<String> ownAddresses, Dns dns) {
        this.name = name;
        this.config = config;
        this.dnsRules = new BasicDnsRules(config, dns);
        this.ownNames = new HashSet<>();
        for (String h : ownHostnames) ownNames.add(h.toLowerCase(Locale.ROOT));
        this.ownAddresses = new HashSet<>();
        for (String a : ownAddresses) IpAddress.parse(a).ifPresent(this.ownAddresses::add);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Stage> stages() {
        return STAGES;
    }

    /** True when a DNS rule is on: its lookups may block. */
    @Override
    public boolean blocking() {
        return config.needsDns();
    }

    @Override
    public Outcome evaluate(Transaction tx, Evaluation run) {
        List<Score> scores = new ArrayList<>(2);
        Optional<BasicFinding> helo = heloRule(tx);
        helo.ifPresent(f -> add(scores, f));
        MailAddress sender = tx.sender();
        boolean senderKnown = !sender.isNull() && tx.stage() != Stage.HELO;
        if (senderKnown && !fqdnDomain(sender)) {
            add(scores, new BasicFinding(BasicRule.SENDER_NOT_FQDN, "sender <" + sender.raw() + "> is not in fully-qualified domain form"));
        }
        MailAddress rcpt = tx.recipient();
        if (!rcpt.isNull() && !fqdnDomain(rcpt)) {
            add(scores, new BasicFinding(BasicRule.RECIPIENT_NOT_FQDN, "recipient <" + rcpt.raw() + "> is not in fully-qualified domain form"));
        }
        List<String> unanswered = List.of();
        IpAddress client = tx.connection().ip();
        if (config.needsDns() && !fromUs(client)) { // as the seeds: no DNS rules for this machine's own mail
            BasicDnsRules.Result r = dnsRules.judge(
                    helo.isEmpty() && config.on(BasicRule.HELO_UNKNOWN) ? lookupName(tx.connection().helo().strip()) : null,
                    senderKnown && config.on(BasicRule.SENDER_DOMAIN_UNKNOWN) ? lookupName(sender.domain()) : null,
                    config.on(BasicRule.RECIPIENT_DOMAIN_UNKNOWN) ? lookupName(rcpt.domain()) : null,
                    client != null && (config.on(BasicRule.REVERSE_CLIENT_UNKNOWN) || config.on(BasicRule.CLIENT_UNKNOWN)) ? client : null);
            r.findings().forEach(f -> add(scores, f));
            unanswered = r.unanswered();
        }
        if (scores.isEmpty() && unanswered.isEmpty()) return Outcome.score(name, 0, "basic checks passed");
        // The findings double as the message a rejected sender sees (hidden with no_reject_detail).
        String message = String.join("; ", scores.stream().map(Score::detail).toList());
        if (!unanswered.isEmpty()) {
            scores.add(new Score(name, 0, "DNS did not answer (" + String.join(", ", unanswered)
                    + "); the rules needing these answers were skipped"));
        }
        Outcome o = Outcome.scores(scores).withMessage(message);
        return unanswered.isEmpty() ? o : o.asTemporary(); // a slow DNS's answer is not kept by the result cache
    }

    /** A fully-qualified name to look up, or null (an address literal, a single label, garbage). */
    private static String lookupName(String text) {
        return HostnameSyntax.of(text) == HostnameSyntax.FQDN ? HostnameSyntax.plain(text) : null;
    }

    /** The most specific HELO rule that applies and is switched on. */
    private Optional<BasicFinding> heloRule(Transaction tx) {
        return heloFindings(tx).stream().filter(f -> config.weight(f.rule()) != 0).findFirst();
    }

    /** The HELO rules that apply, most specific first: {@code localhost} is also not fully qualified. */
    private List<BasicFinding> heloFindings(Transaction tx) {
        String helo = tx.connection().helo().strip();
        IpAddress client = tx.connection().ip();
        String quoted = "HELO \"" + helo + "\"";
        HostnameSyntax syntax = HostnameSyntax.of(helo);
        return switch (syntax) {
            case EMPTY -> List.of(new BasicFinding(BasicRule.HELO_MISSING, "no HELO/EHLO given"));
            case BARE_ADDRESS -> List.of(new BasicFinding(BasicRule.HELO_BARE_IP, quoted + " is an address without brackets"));
            case INVALID -> List.of(new BasicFinding(BasicRule.HELO_INVALID, quoted + " is not a valid host name"));
            case ADDRESS_LITERAL -> literal(IpAddress.parse(helo).orElseThrow(), client, quoted);
            case NOT_FQDN, FQDN -> name(HostnameSyntax.plain(helo), syntax, client, quoted);
        };
    }

    private List<BasicFinding> literal(IpAddress helo, IpAddress client, String quoted) {
        if (helo.equals(client)) return List.of();
        boolean ours = helo.isLoopback() || ownAddresses.contains(helo);
        if (ours && fromUs(client)) return List.of();
        BasicFinding mismatch = new BasicFinding(BasicRule.HELO_LITERAL_MISMATCH, quoted + " but the client is " + client);
        if (helo.isLoopback()) return List.of(new BasicFinding(BasicRule.HELO_LOCALHOST, quoted + " from a remote client"), mismatch);
        if (ours) return List.of(new BasicFinding(BasicRule.HELO_IS_US, quoted + " is our own address"), mismatch);
        return List.of(mismatch);
    }

    private List<BasicFinding> name(String plain, HostnameSyntax syntax, IpAddress client, String quoted) {
        boolean localhost = LOCALHOST_NAMES.contains(plain);
        boolean us = ownNames.contains(plain);
        if ((localhost || us) && fromUs(client)) return List.of(); // this machine may call itself so
        List<BasicFinding> found = new ArrayList<>(2);
        if (localhost) found.add(new BasicFinding(BasicRule.HELO_LOCALHOST, quoted + " from a remote client"));
        else if (us) found.add(new BasicFinding(BasicRule.HELO_IS_US, quoted + " is our own host name"));
        if (syntax == HostnameSyntax.NOT_FQDN) found.add(new BasicFinding(BasicRule.HELO_NOT_FQDN, quoted + " is not a fully-qualified domain name"));
        return found;
    }

    /** True for a client on this machine: a loopback address or one of our own. */
    private boolean fromUs(IpAddress client) {
        return client != null && (client.isLoopback() || ownAddresses.contains(client));
    }

    private static boolean fqdnDomain(MailAddress a) {
        HostnameSyntax s = HostnameSyntax.of(a.domain());
        return s == HostnameSyntax.FQDN || s == HostnameSyntax.ADDRESS_LITERAL;
    }

    private void add(List<Score> scores, BasicFinding f) {
        double w = config.weight(f.rule());
        if (w != 0) scores.add(new Score(f.rule().code(name), w, f.detail()));
    }
}
