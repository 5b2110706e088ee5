package org.decency.checks.plausibility;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.decency.checks.support.Addresses;
import org.decency.checks.support.MailHosts;
import org.decency.core.Cidr;
import org.decency.core.IpAddress;

/**
 * Client address against the HELO, in policyd-weight's order; the first that applies
 * scores:
 *
 * <ol>
 *   <li>{@code HELO_NUMERIC}: the HELO is an address, with or without brackets (scores besides the others);</li>
 *   <li>{@code CL_IP_EQ_HELO_IP}: the HELO name resolves to the client;</li>
 *   <li>{@code CL_IP_EQ_HELO_MX}: the client is a mail host of the HELO's domain;</li>
 *   <li>{@code HELO_IP_IN_CL_SUBNET}: one of those addresses is in the client's /24 (IPv6: /64);</li>
 *   <li>{@code HELO_IP_IN_CL16_SUBNET}: ... in the client's /16 (IPv6: /48); the reverse name then decides;</li>
 *   <li>no score when the client is a host of the sender domain (Association scores that);</li>
 *   <li>{@code HELO_NO_A}: the HELO name has no address at all;</li>
 *   <li>{@code CL_IP_NE_HELO}: it has addresses, none near the client.</li>
 * </ol>
 *
 * <p>The last two need every answer: with one missing nothing is concluded.
 */
final class HeloRules {
    private HeloRules() {}

    static HeloStanding judge(PlausibilityFacts f, Findings out) {
        HeloForm helo = f.helo();
        IpAddress client = f.client();
        if (helo.numeric()) out.add(PlausibilityRule.HELO_NUMERIC, "HELO \"" + helo.text() + "\" is an address");
        boolean senderMx = f.clientIsSenderMx();
        if (helo.kind() == HeloForm.Kind.LITERAL && helo.address().equals(client)) {
            return new HeloStanding(true, false, senderMx, true);
        }
        if (!helo.isName()) return bySender(f, senderMx);

        Addresses a = f.heloAddresses();
        MailHosts mx = f.heloMailHosts();
        if (a.contains(client)) {
            out.add(PlausibilityRule.CL_IP_EQ_HELO_IP, "HELO " + helo.name() + " resolves to the client " + client);
            return new HeloStanding(true, false, senderMx, true);
        }
        Optional<Addresses> host = mx.hostWith(client);
        if (host.isPresent()) {
            out.add(PlausibilityRule.CL_IP_EQ_HELO_MX, "client " + client + " is " + host.get().name() + ", a mail host of " + mx.domain());
            return new HeloStanding(true, false, true, true);
        }
        List<IpAddress> near = new ArrayList<>(a.list());
        near.addAll(mx.addresses());
        Optional<IpAddress> same24 = nearest(near, client, client.isV4() ? 24 : 64);
        if (same24.isPresent()) {
            out.add(PlausibilityRule.HELO_IP_IN_CL_SUBNET, "HELO " + helo.name() + " resolves to " + same24.get()
                    + ", in the client's " + client.network(client.isV4() ? 24 : 64));
            return new HeloStanding(true, false, senderMx, true);
        }
        Optional<IpAddress> same16 = nearest(near, client, client.isV4() ? 16 : 48);
        if (same16.isPresent()) {
            out.add(PlausibilityRule.HELO_IP_IN_CL16_SUBNET, "HELO " + helo.name() + " resolves to " + same16.get()
                    + ", in the client's " + client.network(client.isV4() ? 16 : 48));
            return new HeloStanding(false, true, senderMx, true);
        }
        if (f.clientIsSenderHost()) return new HeloStanding(true, false, senderMx, true);
        if (!a.complete() || !mx.complete() || !f.senderHostKnown()) return HeloStanding.UNKNOWN;
        if (a.list().isEmpty()) {
            out.add(PlausibilityRule.HELO_NO_A, "HELO " + helo.name() + " has no A or AAAA record");
        } else {
            out.add(PlausibilityRule.CL_IP_NE_HELO, "HELO " + helo.name() + " resolves to " + a.list()
                    + ", not to the client " + client + " or its network");
        }
        return HeloStanding.UNVERIFIED;
    }

    /** Without a HELO name, only a host of the sender domain vouches for the client. */
    private static HeloStanding bySender(PlausibilityFacts f, boolean senderMx) {
        if (f.clientIsSenderHost()) return new HeloStanding(true, false, senderMx, true);
        return f.senderHostKnown() ? HeloStanding.UNVERIFIED : HeloStanding.UNKNOWN;
    }

    private static Optional<IpAddress> nearest(List<IpAddress> candidates, IpAddress client, int prefix) {
        Cidr net = new Cidr(client, prefix);
        return candidates.stream().filter(net::contains).findFirst();
    }
}
