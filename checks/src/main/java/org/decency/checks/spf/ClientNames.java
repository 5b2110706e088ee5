package org.decency.checks.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.decency.core.IpAddress;
import org.decency.dns.DnsAnswer;
import org.decency.dns.DnsType;

/**
 * The client's validated domain names (RFC 7208 §5.5), for the ptr mechanism and the
 * {@code p} macro: the names its PTR records give, of which only the first 10 are used,
 * that have an address record pointing back to the client. The PTR answer is asked once
 * per check.
 */
final class ClientNames {
    static final int MAX_NAMES = 10;

    private final IpAddress ip;
    private final SpfLookups dns;
    private DnsAnswer ptr;

    ClientNames(IpAddress ip, SpfLookups dns) {
        this.ip = ip;
        this.dns = dns;
    }

    /** The PTR answer for the client's address. */
    DnsAnswer ptrAnswer() {
        if (ptr == null) ptr = dns.ask(IpText.reverseName(ip), DnsType.PTR);
        return ptr;
    }

    /** True when one of the client's names at or below {@code domain} is validated; DNS errors skip a name. */
    boolean anyValidatedAtOrBelow(String domain) {
        List<String> candidates = new ArrayList<>();
        for (String name : names()) if (DomainNames.isAtOrBelow(name, domain)) candidates.add(name);
        List<CompletableFuture<DnsAnswer>> answers = new ArrayList<>();
        for (String name : candidates) answers.add(dns.start(name, addressType()));
        for (CompletableFuture<DnsAnswer> answer : answers) {
            if (pointsBack(dns.await(answer))) return true;
        }
        return false;
    }

    /**
     * The {@code p} macro for {@code domain}: a validated name equal to the domain, else one
     * below it, else any; "unknown" when none validates.
     */
    String validatedName(String domain) {
        List<String> ordered = new ArrayList<>();
        List<String> names = names();
        for (String n : names) if (DomainNames.withoutTrailingDot(n).equalsIgnoreCase(domain)) ordered.add(n);
        for (String n : names) if (!ordered.contains(n) && DomainNames.isAtOrBelow(n, domain)) ordered.add(n);
        for (String n : names) if (!ordered.contains(n)) ordered.add(n);
        for (String n : ordered) {
            if (pointsBack(dns.ask(n, addressType()))) return n;
        }
        return "unknown";
    }

    private List<String> names() {
        DnsAnswer a = ptrAnswer();
        if (!a.found()) return List.of();
        List<String> v = a.values();
        return v.size() > MAX_NAMES ? v.subList(0, MAX_NAMES) : v;
    }

    private DnsType addressType() {
        return ip.isV4() ? DnsType.A : DnsType.AAAA;
    }

    private boolean pointsBack(DnsAnswer a) {
        if (!a.found()) return false;
        for (String v : a.values()) {
            if (IpAddress.parse(v).filter(ip::equals).isPresent()) return true;
        }
        return false;
    }
}
