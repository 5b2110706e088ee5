package org.decency.checks.association;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.decency.checks.support.Addresses;
import org.decency.checks.support.DnsLookups;
import org.decency.checks.support.MailHosts;
import org.decency.checks.support.ReverseNames;
import org.decency.core.IpAddress;

/**
 * What DNS says about the client and the sender domain, asked all at once: the
 * domain's addresses, its mail hosts with theirs, the client's PTR names (with their
 * forward addresses) and the HELO name's addresses.
 *
 * @param helo the HELO name's addresses; null when the HELO is no host name
 */
record AssociationFacts(IpAddress client, String domain, Addresses domainAddresses, MailHosts mailHosts,
                        ReverseNames reverse, Addresses helo) {

    static AssociationFacts gather(DnsLookups dns, IpAddress client, String domain, String heloName, boolean confirmPtr) {
        CompletableFuture<Addresses> addresses = dns.addresses(domain);
        CompletableFuture<MailHosts> mx = dns.mailHosts(domain);
        CompletableFuture<ReverseNames> reverse = dns.reverse(client, confirmPtr);
        CompletableFuture<Addresses> helo = heloName == null ? null : dns.addresses(heloName);
        var d = dns.deadline();
        return new AssociationFacts(client, domain,
                d.await(addresses, () -> Addresses.late(domain)),
                d.await(mx, () -> MailHosts.late(domain)),
                d.await(reverse, () -> ReverseNames.late(client)),
                helo == null ? null : d.await(helo, () -> Addresses.late(heloName)));
    }

    /** Every question that went unanswered. */
    List<String> unanswered() {
        List<String> out = new ArrayList<>(domainAddresses.unanswered());
        out.addAll(mailHosts.unanswered());
        out.addAll(reverse.unanswered());
        if (helo != null) out.addAll(helo.unanswered());
        return out;
    }

    /** True when DNS said for certain that the sender domain has neither addresses nor MX records. */
    boolean domainUnknown() {
        return domainAddresses.knownEmpty() && mailHosts.none();
    }

    /** True when the HELO name resolves to the client address. */
    boolean heloVerified() {
        return helo != null && helo.contains(client);
    }

    /** The names that stand for the sender domain: the domain and its mail hosts. */
    List<String> senderNames() {
        List<String> names = new ArrayList<>();
        names.add(domain);
        names.addAll(mailHosts.names());
        return names;
    }
}
