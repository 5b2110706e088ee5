package org.decency.checks.plausibility;

import java.util.Locale;
import java.util.Optional;
import org.decency.checks.support.Addresses;
import org.decency.checks.support.MailHosts;
import org.decency.checks.support.RegistrableDomain;
import org.decency.core.Cidr;
import org.decency.core.IpAddress;
import org.decency.core.MailAddress;

/**
 * The sender address:
 *
 * <ul>
 *   <li>{@code SENDER_NO_MX_OR_A}: the sender domain has neither MX nor A/AAAA records (or does not exist);</li>
 *   <li>{@code BOGUS_MX}: it has a null MX, a mail host in a bogus network ({@link BogusNetworks}) or
 *       only mail hosts without addresses; or no MX and an address in a bogus network;</li>
 *   <li>{@code RANDOM_SENDER}: the local part looks machine-made ({@link RandomLocalPart});</li>
 *   <li>{@code FROM_MULTIPARTED}: the sender domain is below its registrable domain
 *       ({@code user@mail.example.org}), and neither HELO nor MX vouched for the client;</li>
 *   <li>{@code FROM_NBDY_ANON}: the local part ends in {@code nobody} or {@code anonymous}.</li>
 * </ul>
 */
final class SenderRules {
    private SenderRules() {}

    static void judge(PlausibilityFacts f, HeloStanding standing, BogusNetworks bogus, Findings out) {
        MailAddress sender = f.sender();
        String local = sender.localPart().toLowerCase(Locale.ROOT);
        RandomLocalPart.reason(local).ifPresent(why -> out.add(PlausibilityRule.RANDOM_SENDER,
                "sender <" + sender.raw() + "> looks random: " + why));
        if (local.endsWith("nobody") || local.endsWith("anonymous")) {
            out.add(PlausibilityRule.FROM_NBDY_ANON, "sender <" + sender.raw() + "> is nobody or anonymous");
        }
        if (!f.senderLookedUp()) return;
        String domain = f.senderMailHosts().domain();
        if (!RegistrableDomain.of(domain).equals(domain) && standing.known() && !standing.verified() && !standing.mx()) {
            out.add(PlausibilityRule.FROM_MULTIPARTED, "sender domain " + domain + " is below " + RegistrableDomain.of(domain)
                    + " and the HELO does not vouch for the client");
        }
        domainRules(f.senderAddresses(), f.senderMailHosts(), bogus, out);
    }

    private static void domainRules(Addresses a, MailHosts mx, BogusNetworks bogus, Findings out) {
        String domain = mx.domain();
        if (mx.none() && a.knownEmpty()) {
            out.add(PlausibilityRule.SENDER_NO_MX_OR_A, "sender domain " + domain + " has neither MX nor A/AAAA records");
            return;
        }
        if (mx.nullMx()) {
            out.add(PlausibilityRule.BOGUS_MX, "sender domain " + domain + " has a null MX: it takes no mail");
            return;
        }
        for (Addresses host : mx.hosts()) {
            Optional<String> why = bogusAddress(host, bogus);
            if (why.isPresent()) {
                out.add(PlausibilityRule.BOGUS_MX, "mail host " + host.name() + " of " + domain + " " + why.get());
                return;
            }
        }
        if (!mx.hosts().isEmpty() && mx.hosts().stream().allMatch(Addresses::knownEmpty)) {
            out.add(PlausibilityRule.BOGUS_MX, "no mail host of " + domain + " resolves (" + String.join(", ", mx.names()) + ")");
            return;
        }
        if (mx.none()) {
            bogusAddress(a, bogus).ifPresent(why -> out.add(PlausibilityRule.BOGUS_MX, "sender domain " + domain
                    + " has no MX and " + why));
        }
    }

    private static Optional<String> bogusAddress(Addresses host, BogusNetworks bogus) {
        for (IpAddress ip : host.list()) {
            Optional<Cidr> net = bogus.containing(ip);
            if (net.isPresent()) return Optional.of("resolves to " + ip + " in bogus network " + net.get());
        }
        return Optional.empty();
    }
}
