package org.decency.checks.association;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.decency.checks.support.Addresses;
import org.decency.checks.support.RegistrableDomain;
import org.decency.core.Cidr;
import org.decency.core.IpAddress;

/**
 * Decides how the client is associated with the sender domain: the first step that
 * applies, strongest first, always in this order (the seeds took the range prefixes in
 * hash order; we take the narrowest first):
 *
 * <ol>
 *   <li>{@code CL_IP_EQ_FROM_IP}: the client is an address of the sender domain (direct hit);</li>
 *   <li>{@code CL_IP_EQ_FROM_MX}: the client is an address of one of its MX hosts (direct hit);</li>
 *   <li>{@code FROM_IP_IN_CL_SUBNET}: the client shares a {@code /prefix} with one of those addresses (range hit);</li>
 *   <li>{@code CL_HOSTNAME_MATCHES_FROM_DOMAIN}: a (forward-confirmed) PTR name of the client is in the
 *       registrable domain of the sender domain or of one of its MX hosts (domain hit);</li>
 *   <li>{@code FROM_MATCHES_HELO_DOMAIN}: the HELO name resolves to the client and is in such a domain (domain hit);</li>
 *   <li>nothing can be said while a question went unanswered (scores 0, never punishes a slow DNS);</li>
 *   <li>{@code FROM_DOMAIN_NOT_FOUND}: the sender domain has no address and no MX (no hit);</li>
 *   <li>{@code CLIENT_NOT_MX_A_FROM_DOMAIN}: otherwise (no hit).</li>
 * </ol>
 */
final class AssociationJudge {
    static final String DIRECT = "CL_IP_EQ_FROM_IP";
    static final String DIRECT_MX = "CL_IP_EQ_FROM_MX";
    static final String RANGE = "FROM_IP_IN_CL_SUBNET";
    static final String DOMAIN_PTR = "CL_HOSTNAME_MATCHES_FROM_DOMAIN";
    static final String DOMAIN_HELO = "FROM_MATCHES_HELO_DOMAIN";
    static final String NOT_FOUND = "FROM_DOMAIN_NOT_FOUND";
    static final String NO_HIT = "CLIENT_NOT_MX_A_FROM_DOMAIN";

    /** What was found; {@code code} null: not judged (the check reports 0 under its own name). */
    record Finding(String code, double weight, String detail, String message) {}

    private final AssociationConfig config;

    AssociationJudge(AssociationConfig config) {
        this.config = config;
    }

    Finding judge(AssociationFacts f) {
        return direct(f).or(() -> range(f)).or(() -> domain(f)).orElseGet(() -> noHit(f));
    }

    private Optional<Finding> direct(AssociationFacts f) {
        if (config.directHit() == 0) return Optional.empty();
        if (f.domainAddresses().contains(f.client())) {
            return Optional.of(hit(DIRECT, config.directHit(), "client " + f.client() + " is an address of " + f.domain()));
        }
        return f.mailHosts().hostWith(f.client()).map(h -> hit(DIRECT_MX, config.directHit(),
                "client " + f.client() + " is " + h.name() + ", a mail host of " + f.domain()));
    }

    private Optional<Finding> range(AssociationFacts f) {
        List<Addresses> sources = new ArrayList<>();
        sources.add(f.domainAddresses());
        sources.addAll(f.mailHosts().hosts());
        for (RangeWeight r : config.ranges(f.client().isV4())) {
            for (Addresses host : sources) {
                for (IpAddress a : host.list()) {
                    if (a.isV4() == f.client().isV4() && new Cidr(a, r.prefix()).contains(f.client())) {
                        return Optional.of(hit(RANGE, r.weight(), "client " + f.client() + " shares "
                                + f.client().network(r.prefix()) + " with " + host.name() + " (" + a + ")"));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Finding> domain(AssociationFacts f) {
        if (config.domainHit() == 0) return Optional.empty();
        List<String> ptrNames = config.confirmPtr() ? f.reverse().confirmed() : f.reverse().names();
        for (String ptr : ptrNames) {
            for (String sender : f.senderNames()) {
                if (RegistrableDomain.same(ptr, sender)) {
                    return Optional.of(hit(DOMAIN_PTR, config.domainHit(), "client name " + ptr + " is in the domain of "
                            + sender + " (" + RegistrableDomain.of(sender) + ")"));
                }
            }
        }
        if (f.heloVerified()) {
            String helo = f.helo().name();
            for (String sender : f.senderNames()) {
                if (RegistrableDomain.same(helo, sender)) {
                    return Optional.of(hit(DOMAIN_HELO, config.domainHit(), "HELO " + helo + " resolves to the client and is in the domain of "
                            + sender + " (" + RegistrableDomain.of(sender) + ")"));
                }
            }
        }
        return Optional.empty();
    }

    private Finding noHit(AssociationFacts f) {
        List<String> unanswered = f.unanswered();
        if (!unanswered.isEmpty()) {
            return new Finding(null, 0, "not judged: DNS did not answer (" + String.join(", ", unanswered) + ")", "");
        }
        if (f.domainUnknown()) {
            return new Finding(NOT_FOUND, config.noHit(), "no hit, sender domain " + f.domain() + " not found",
                    "Sender domain could not be resolved");
        }
        return new Finding(NO_HIT, config.noHit(), "no hit: client " + f.client() + " is not associated with " + f.domain(),
                "Sender IP not associated with sender domain");
    }

    private static Finding hit(String code, double weight, String detail) {
        return new Finding(code, weight, detail, "");
    }
}
