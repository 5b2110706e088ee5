package org.decency.checks.dkim;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.decency.dns.Dns;
import org.decency.dns.DnsAnswer;
import org.decency.dns.DnsType;

/**
 * The key lookups of one mail (TXT at {@code selector._domainkey.domain}) through the
 * project's resolver: all sent at once, before the body is hashed, each name once, and
 * awaited by one deadline; an answer that came in time still counts after it.
 */
final class KeyLookup {
    private final Dns dns;
    private final long deadline;
    private final Map<String, CompletableFuture<DnsAnswer>> asked = new HashMap<>();

    KeyLookup(Dns dns, Duration budget) {
        this.dns = dns;
        this.deadline = System.nanoTime() + budget.toNanos();
    }

    void start(String name) {
        asked.computeIfAbsent(name, n -> dns.query(n, DnsType.TXT));
    }

    KeyAnswer await(String name) {
        start(name);
        DnsAnswer a = Dns.await(asked.get(name), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        return switch (a.status()) {
            case TIMEOUT -> KeyAnswer.failed(DkimResult.TEMPERROR, "key lookup of " + name + " timed out");
            case SERVFAIL -> KeyAnswer.failed(DkimResult.TEMPERROR, "key lookup of " + name + " failed (SERVFAIL)");
            case NXDOMAIN, NODATA -> KeyAnswer.failed(DkimResult.PERMERROR, "no key at " + name);
            case BAD_NAME -> KeyAnswer.failed(DkimResult.PERMERROR, "no key can be asked for at " + name);
            case OK -> parse(a, name);
        };
    }

    /** The first record that is a usable key; else the first record's problem. */
    private static KeyAnswer parse(DnsAnswer a, String name) {
        String problem = null;
        for (String record : a.values()) {
            try {
                return KeyAnswer.of(KeyRecordParser.parse(record));
            } catch (DkimSyntaxException e) {
                if (problem == null) problem = e.getMessage();
            }
        }
        return KeyAnswer.failed(DkimResult.PERMERROR, problem == null ? "no key at " + name : problem);
    }
}
