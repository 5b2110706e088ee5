package org.decency.checks.plausibility;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.decency.checks.support.Addresses;
import org.decency.checks.support.Deadline;
import org.decency.checks.support.DnsLookups;
import org.decency.checks.support.MailHosts;
import org.decency.checks.support.RegistrableDomain;
import org.decency.checks.support.ReverseNames;
import org.decency.core.IpAddress;
import org.decency.core.MailAddress;

/**
 * What DNS says about the client, its HELO and the sender domain, asked all at once:
 * the HELO name's addresses, the mail hosts of the HELO's registrable domain, the
 * client's PTR names with their forward addresses, the sender domain's addresses and
 * mail hosts. The lookups of a part that does not apply are null.
 */
record PlausibilityFacts(IpAddress client, HeloForm helo, MailAddress sender, Addresses heloAddresses,
                         MailHosts heloMailHosts, ReverseNames reverse, Addresses senderAddresses,
                         MailHosts senderMailHosts) {

    static PlausibilityFacts gather(DnsLookups dns, IpAddress client, HeloForm helo, MailAddress sender) {
        String heloDomain = helo.isName() ? RegistrableDomain.of(helo.name()) : null;
        String senderDomain = senderDomain(sender);
        CompletableFuture<Addresses> heloA = helo.isName() ? dns.addresses(helo.name()) : null;
        CompletableFuture<MailHosts> heloMx = heloDomain != null ? dns.mailHosts(heloDomain) : null;
        CompletableFuture<ReverseNames> reverse = dns.reverse(client, true);
        CompletableFuture<Addresses> senderA = senderDomain != null ? dns.addresses(senderDomain) : null;
        CompletableFuture<MailHosts> senderMx = senderDomain != null ? dns.mailHosts(senderDomain) : null;
        Deadline d = dns.deadline();
        return new PlausibilityFacts(client, helo, sender,
                heloA == null ? null : d.await(heloA, () -> Addresses.late(helo.name())),
                heloMx == null ? null : d.await(heloMx, () -> MailHosts.late(heloDomain)),
                d.await(reverse, () -> ReverseNames.late(client)),
                senderA == null ? null : d.await(senderA, () -> Addresses.late(senderDomain)),
                senderMx == null ? null : d.await(senderMx, () -> MailHosts.late(senderDomain)));
    }

    /** The sender's domain when it is a name to look up; null for an address literal or a single label. */
    static String senderDomain(MailAddress sender) {
        String d = DnsLookups.normal(sender.domain());
        return d.contains(".") && !d.startsWith("[") && IpAddress.parse(d).isEmpty() ? d : null;
    }

    boolean senderLookedUp() {
        return senderMailHosts != null;
    }

    /** True when the client is an address of the sender domain or of one of its mail hosts. */
    boolean clientIsSenderHost() {
        return senderLookedUp() && (senderAddresses.contains(client) || senderMailHosts.hostWith(client).isPresent());
    }

    /** True when the client is a mail host of the sender domain. */
    boolean clientIsSenderMx() {
        return senderLookedUp() && senderMailHosts.hostWith(client).isPresent();
    }

    /** True when whether the client is a host of the sender domain is settled (found, or every answer came). */
    boolean senderHostKnown() {
        return !senderLookedUp() || clientIsSenderHost() || (senderAddresses.complete() && senderMailHosts.complete());
    }

    /** Every question that went unanswered. */
    List<String> unanswered() {
        List<String> out = new ArrayList<>();
        if (heloAddresses != null) out.addAll(heloAddresses.unanswered());
        if (heloMailHosts != null) out.addAll(heloMailHosts.unanswered());
        out.addAll(reverse.unanswered());
        if (senderAddresses != null) out.addAll(senderAddresses.unanswered());
        if (senderMailHosts != null) out.addAll(senderMailHosts.unanswered());
        return out;
    }
}
