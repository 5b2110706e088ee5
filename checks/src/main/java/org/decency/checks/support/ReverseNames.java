package org.decency.checks.support;

import java.util.ArrayList;
import java.util.List;
import org.decency.core.IpAddress;
import org.decency.dns.DnsAnswer;

/**
 * The PTR names of a client address and, when they were asked, the addresses those
 * names resolve to: a name that resolves back to the client is forward-confirmed
 * (FCrDNS), the test behind Postfix's {@code reject_unknown_client_hostname}.
 */
public record ReverseNames(IpAddress ip, DnsAnswer ptr, List<Addresses> forward) {

    public ReverseNames {
        forward = List.copyOf(forward);
    }

    public static ReverseNames late(IpAddress ip) {
        return new ReverseNames(ip, DnsAnswer.of(DnsAnswer.Status.TIMEOUT), List.of());
    }

    public List<String> names() {
        return ptr.found() ? ptr.values() : List.of();
    }

    /** True when DNS said for certain that the address has no PTR record. */
    public boolean none() {
        return ptr.none();
    }

    /** The PTR names that resolve back to the client address. */
    public List<String> confirmed() {
        return forward.stream().filter(a -> a.contains(ip)).map(Addresses::name).toList();
    }

    public List<String> unanswered() {
        List<String> out = new ArrayList<>();
        if (ptr.temporaryError()) out.add("PTR of " + ip + " (" + ptr.status() + ")");
        for (Addresses a : forward) out.addAll(a.unanswered());
        return out;
    }

    public boolean complete() {
        return unanswered().isEmpty();
    }
}
