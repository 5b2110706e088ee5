package org.decency.checks.rhsbl;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.decency.checks.dnsbl.Blocklists;
import org.decency.checks.dnsbl.DomainName;
import org.decency.checks.dnsbl.Question;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.dns.Dns;

/**
 * RHSBL: asks domain block lists about the sender domain, the HELO name and the client's
 * host name ({@code <domain>.<zone>} A), each list about the identities it is configured
 * for, all at once. A name that several identities share is asked once per list; a list
 * counts once however many of its names are listed (see {@link Blocklists}).
 */
public final class RhsblCheck implements Check {
    private final String name;
    private final RhsblConfig config;
    private final Blocklists blocklists;

    public RhsblCheck(String name, RhsblConfig config, Dns dns, Clock clock) {
        this.name = name;
        this.config = config;
        this.blocklists = new Blocklists(name, config.blocklists(), config.options(), dns, clock);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Stage> stages() {
        return Set.of(Stage.CONNECT, Stage.HELO, Stage.MAIL, Stage.RCPT);
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public String cacheKey(Transaction tx) {
        Map<Identity, String> d = domains(tx);
        return d.getOrDefault(Identity.SENDER, "") + "|" + d.getOrDefault(Identity.HELO, "") + "|" + d.getOrDefault(Identity.CLIENT, "");
    }

    @Override
    public Outcome evaluate(Transaction tx, Evaluation run) throws InterruptedException {
        Map<Identity, String> domains = domains(tx);
        List<Question> questions = new ArrayList<>();
        for (int i = 0; i < config.lists().size(); i++) questions.addAll(questions(i, config.lists().get(i), domains));
        if (questions.isEmpty()) return Outcome.nothing();
        return blocklists.evaluate(questions, run);
    }

    private static Map<Identity, String> domains(Transaction tx) {
        Map<Identity, String> out = new EnumMap<>(Identity.class);
        for (Identity id : Identity.values()) {
            String d = id.domain(tx);
            if (d != null) out.put(id, d);
        }
        return out;
    }

    /** One question per name for list {@code index}, about {@code roles name} ({@code sender/helo spam.example}). */
    private static List<Question> questions(int index, RhsblConfig.RhsblList list, Map<Identity, String> domains) {
        Map<String, List<String>> roles = new LinkedHashMap<>();
        for (var e : domains.entrySet()) {
            if (!list.check().contains(e.getKey())) continue;
            List<String> names = list.parentDomains() ? DomainName.withParents(e.getValue(), RhsblConfig.MAX_NAMES) : List.of(e.getValue());
            for (String n : names) roles.computeIfAbsent(n, k -> new ArrayList<>()).add(e.getKey().label());
        }
        List<Question> out = new ArrayList<>();
        roles.forEach((n, r) -> out.add(new Question(index, n + "." + list.list().zone(), String.join("/", r) + " " + n)));
        return out;
    }
}
