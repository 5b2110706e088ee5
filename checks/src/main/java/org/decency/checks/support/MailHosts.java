package org.decency.checks.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.decency.core.IpAddress;
import org.decency.dns.DnsAnswer;

/**
 * The MX records of a domain with the addresses of each exchange, in order of
 * preference. A null MX ({@code MX 0 .}, RFC 7505) says the domain takes no mail.
 */
public record MailHosts(String domain, DnsAnswer mx, List<Addresses> hosts) {

    public MailHosts {
        hosts = List.copyOf(hosts);
    }

    public static MailHosts late(String domain) {
        return new MailHosts(domain, DnsAnswer.of(DnsAnswer.Status.TIMEOUT), List.of());
    }

    /** True for a null MX: the domain declares that it accepts no mail. */
    public boolean nullMx() {
        return mx.found() && mx.values().equals(List.of("."));
    }

    /** True when DNS said for certain that the domain has no MX record. */
    public boolean none() {
        return mx.none() || mx.status() == DnsAnswer.Status.BAD_NAME;
    }

    public List<String> names() {
        return hosts.stream().map(Addresses::name).toList();
    }

    public List<IpAddress> addresses() {
        List<IpAddress> all = new ArrayList<>();
        for (Addresses h : hosts) all.addAll(h.list());
        return all;
    }

    /** The first exchange (by preference) that has {@code ip} among its addresses. */
    public Optional<Addresses> hostWith(IpAddress ip) {
        return hosts.stream().filter(h -> h.contains(ip)).findFirst();
    }

    public List<String> unanswered() {
        List<String> out = new ArrayList<>();
        if (mx.temporaryError()) out.add(domain + " MX (" + mx.status() + ")");
        for (Addresses h : hosts) out.addAll(h.unanswered());
        return out;
    }

    public boolean complete() {
        return unanswered().isEmpty();
    }
}
