package org.decency.checks.dnsbl;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.IpAddress;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.dns.Dns;

/**
 * DNSBL: asks DNS block lists about the client address ({@code d.c.b.a.<zone>}, IPv6 by
 * nibbles), all at once, and adds each list's hit or miss weight (see {@link Blocklists}).
 * Sets the seeds' flag {@code dnsbl_ip_<ip>}. Unlike the seeds, an already set flag does
 * not skip the check: flags live for one run, where it can only come from another DNSBL
 * module, which asks other lists.
 */
public final class DnsblCheck implements Check {
    /** Set for every address asked about; DeepDNSBL skips the addresses so flagged. */
    public static final String FLAG_PREFIX = "dnsbl_ip_";

    private final String name;
    private final DnsblConfig config;
    private final Blocklists blocklists;

    public DnsblCheck(String name, DnsblConfig config, Dns dns, Clock clock) {
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
        IpAddress ip = tx.connection().ip();
        return ip == null ? null : ip.toString();
    }

    @Override
    public Outcome evaluate(Transaction tx, Evaluation run) throws InterruptedException {
        IpAddress ip = tx.connection().ip();
        if (ip == null) return Outcome.nothing();
        List<Question> questions = questions(ip, config.lists(), "");
        Outcome o = questions.isEmpty()
                ? Outcome.score(name, 0, "no list asked about IPv6 addresses")
                : blocklists.evaluate(questions, run);
        return o.withFlag(FLAG_PREFIX + ip);
    }

    /**
     * The questions about {@code ip} to each of {@code lists} that knows its address family
     * ({@code d.c.b.a.<zone>}), each about {@code about} (empty: the client).
     */
    public static List<Question> questions(IpAddress ip, List<DnsblConfig.DnsblList> lists, String about) {
        String reversed = ReversedAddress.of(ip);
        List<Question> questions = new ArrayList<>();
        for (int i = 0; i < lists.size(); i++) {
            DnsblConfig.DnsblList l = lists.get(i);
            if (ip.isV4() || l.ipv6()) questions.add(new Question(i, reversed + "." + l.list().zone(), about));
        }
        return questions;
    }
}
