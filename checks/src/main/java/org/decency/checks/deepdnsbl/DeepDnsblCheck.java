package org.decency.checks.deepdnsbl;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.decency.checks.dnsbl.Blocklists;
import org.decency.checks.dnsbl.DnsblCheck;
import org.decency.checks.dnsbl.Question;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.IpAddress;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.dns.Dns;

/**
 * DeepDNSBL: asks the DNSBL lists about every host the mail came through (the public
 * addresses of its Received fields, see {@link ReceivedIps}), not only the client: a
 * spammer may send through a clean relay. Up to {@code max_ips} addresses, newest first;
 * addresses the Doorman's DNSBL asked about already (flag {@code dnsbl_ip_<ip>}, forwarded
 * with its score) are skipped. All questions go out at once and are scored as DNSBL's
 * ({@link Blocklists}): a list counts once, with its strongest hit, whichever address it
 * lists; the detail names the address. Sets {@code dnsbl_ip_<ip>} for each address asked.
 * A mail whose sender the Doorman whitelisted (flag {@code whitelisted}) is not looked at.
 */
public final class DeepDnsblCheck implements Check {
    static final String WHITELISTED = "whitelisted";

    private final String name;
    private final DeepDnsblConfig config;
    private final Blocklists blocklists;

    DeepDnsblCheck(String name, DeepDnsblConfig config, Dns dns, Clock clock) {
        this.name = name;
        this.config = config;
        this.blocklists = new Blocklists(name, config.lists().blocklists(), config.lists().options(), dns, clock);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Stage> stages() {
        return Set.of(Stage.MESSAGE);
    }

    @Override
    public boolean blocking() {
        return true;
    }

    /** The addresses of the Received fields: the same relays, the same answer (see {@link #evaluate} for the flags). */
    @Override
    public String cacheKey(Transaction tx) {
        if (!tx.hasMessage() || config.maxSize().exceededBy(tx)) return null;
        List<IpAddress> ips = ReceivedIps.of(tx.message());
        return ips.isEmpty() ? null : ips.stream().map(IpAddress::toString).collect(Collectors.joining(","));
    }

    @Override
    public Outcome evaluate(Transaction tx, Evaluation run) throws InterruptedException {
        if (!tx.hasMessage()) return Outcome.nothing();
        if (run.hasFlag(WHITELISTED)) return Outcome.score(name, 0, "skipped due to whitelisting");
        if (config.maxSize().exceededBy(tx)) return Outcome.score(name, 0, config.maxSize().skipped(tx));
        List<IpAddress> all = ReceivedIps.of(tx.message());
        List<IpAddress> asked = new ArrayList<>();
        int known = 0;
        for (IpAddress ip : all) {
            if (run.hasFlag(DnsblCheck.FLAG_PREFIX + ip)) known++;
            else if (asked.size() < config.maxIps()) asked.add(ip);
        }
        int left = all.size() - known - asked.size();
        List<Question> questions = new ArrayList<>();
        for (IpAddress ip : asked) questions.addAll(DnsblCheck.questions(ip, config.lists().lists(), "from " + ip));
        String notes = notes(known, left);
        Outcome o;
        if (asked.isEmpty()) {
            o = Outcome.score(name, 0, all.isEmpty() ? "no public address in the Received fields" : notes);
        } else if (questions.isEmpty()) {
            o = Outcome.score(name, 0, "no list asked about IPv6 addresses" + (notes.isEmpty() ? "" : "; " + notes));
        } else {
            o = blocklists.evaluate(questions, run);
            if (!notes.isEmpty()) o = o.withScores(List.copyOf(withNote(o.scores(), notes)));
        }
        for (IpAddress ip : asked) o = o.withFlag(DnsblCheck.FLAG_PREFIX + ip);
        // skipped addresses depend on this run's flags, which the cache key cannot see: such an outcome is not kept
        return known > 0 ? o.asTemporary() : o;
    }

    private static String notes(int known, int left) {
        List<String> n = new ArrayList<>();
        if (known > 0) n.add(known + (known == 1 ? " address" : " addresses") + " asked about by DNSBL before");
        if (left > 0) n.add(left + " more not asked (max_ips)");
        return String.join("; ", n);
    }

    private List<Score> withNote(List<Score> scores, String note) {
        List<Score> out = new ArrayList<>(scores);
        for (int i = 0; i < out.size(); i++) {
            Score s = out.get(i);
            if (s.code().equals(name)) {
                out.set(i, new Score(s.code(), s.delta(), s.detail().isEmpty() ? note : s.detail() + "; " + note));
                return out;
            }
        }
        out.add(new Score(name, 0, note));
        return out;
    }
}
