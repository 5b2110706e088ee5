package org.decency.checks.basic;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.decency.checks.support.Addresses;
import org.decency.checks.support.Deadline;
import org.decency.checks.support.DnsLookups;
import org.decency.checks.support.ReverseNames;
import org.decency.core.IpAddress;
import org.decency.dns.Dns;
import org.decency.dns.DnsAnswer;
import org.decency.dns.DnsType;

/**
 * Basic's DNS rules, Postfix's {@code reject_unknown_*} restrictions as scores. All
 * lookups start at once and end by the module's budget; a rule whose answer did not
 * come applies neither way (a slow DNS never costs the sender a score).
 *
 * <ul>
 *   <li>{@code HELO_UNKNOWN}: the HELO name has no A, AAAA or MX record;</li>
 *   <li>{@code SENDER_DOMAIN_UNKNOWN}: the sender's domain has none, or a null MX (the right
 *       domain: the seeds looked at the recipient's);</li>
 *   <li>{@code RECIPIENT_DOMAIN_UNKNOWN}: the same for the recipient's domain;</li>
 *   <li>{@code REVERSE_CLIENT_UNKNOWN}: the client address has no PTR record;</li>
 *   <li>{@code CLIENT_UNKNOWN}: no PTR record, or none of its names resolves back to the client.
 *       With both client rules on, a missing PTR counts once, as {@code REVERSE_CLIENT_UNKNOWN}.</li>
 * </ul>
 */
final class BasicDnsRules {
    private final BasicConfig config;
    private final Dns dns;

    /** What the rules found, and the questions that went unanswered. */
    record Result(List<BasicFinding> findings, List<String> unanswered) {}

    BasicDnsRules(BasicConfig config, Dns dns) {
        this.config = config;
        this.dns = dns;
    }

    /**
     * Looks up what the rules need; a null argument: that rule does not apply to this request.
     *
     * @param client the client, when one of the client rules applies
     */
    Result judge(String helo, String senderDomain, String recipientDomain, IpAddress client) {
        DnsLookups lookups = new DnsLookups(dns, Deadline.after(config.budget()));
        CompletableFuture<DomainRecords> heloRecords = helo == null ? null : records(lookups, helo);
        CompletableFuture<DomainRecords> senderRecords = senderDomain == null ? null : records(lookups, senderDomain);
        CompletableFuture<DomainRecords> rcptRecords = recipientDomain == null ? null : records(lookups, recipientDomain);
        CompletableFuture<ReverseNames> reverse = client == null ? null
                : lookups.reverse(client, config.on(BasicRule.CLIENT_UNKNOWN));

        List<BasicFinding> found = new ArrayList<>();
        List<String> unanswered = new ArrayList<>();
        Deadline d = lookups.deadline();
        if (heloRecords != null) {
            DomainRecords r = d.await(heloRecords, () -> late(helo));
            if (r.none()) found.add(new BasicFinding(BasicRule.HELO_UNKNOWN, "HELO \"" + helo + "\" has no A, AAAA or MX record"));
            else if (!exists(r)) unanswered.addAll(r.unanswered());
        }
        if (senderRecords != null) {
            domain(d.await(senderRecords, () -> late(senderDomain)), BasicRule.SENDER_DOMAIN_UNKNOWN, "sender", found, unanswered);
        }
        if (rcptRecords != null) {
            domain(d.await(rcptRecords, () -> late(recipientDomain)), BasicRule.RECIPIENT_DOMAIN_UNKNOWN, "recipient", found, unanswered);
        }
        if (reverse != null) client(d.await(reverse, () -> ReverseNames.late(client)), found, unanswered);
        return new Result(found, unanswered);
    }

    private static CompletableFuture<DomainRecords> records(DnsLookups lookups, String name) {
        return lookups.addresses(name).thenCombine(lookups.ask(DnsLookups.normal(name), DnsType.MX), DomainRecords::new);
    }

    private static DomainRecords late(String name) {
        return new DomainRecords(Addresses.late(DnsLookups.normal(name)), DnsAnswer.of(DnsAnswer.Status.TIMEOUT));
    }

    private static boolean exists(DomainRecords r) {
        return !r.addresses().list().isEmpty() || r.mx().found();
    }

    private static void domain(DomainRecords r, BasicRule rule, String role, List<BasicFinding> found, List<String> unanswered) {
        String domain = r.addresses().name();
        if (r.nullMx()) {
            found.add(new BasicFinding(rule, role + " domain " + domain + " has a null MX record: it takes no mail"));
        } else if (r.none()) {
            found.add(new BasicFinding(rule, role + " domain " + domain + " has no A, AAAA or MX record"));
        } else if (!exists(r)) {
            unanswered.addAll(r.unanswered());
        }
    }

    private void client(ReverseNames r, List<BasicFinding> found, List<String> unanswered) {
        if (r.none()) {
            BasicRule rule = config.on(BasicRule.REVERSE_CLIENT_UNKNOWN) ? BasicRule.REVERSE_CLIENT_UNKNOWN : BasicRule.CLIENT_UNKNOWN;
            found.add(new BasicFinding(rule, "client " + r.ip() + " has no reverse DNS name (PTR)"));
            return;
        }
        if (r.names().isEmpty() || !config.on(BasicRule.CLIENT_UNKNOWN) || !r.confirmed().isEmpty()) {
            if (r.names().isEmpty()) unanswered.addAll(r.unanswered());
            return;
        }
        if (r.complete()) {
            found.add(new BasicFinding(BasicRule.CLIENT_UNKNOWN, "client name " + String.join(", ", r.names())
                    + " does not resolve back to " + r.ip()));
        } else {
            unanswered.addAll(r.unanswered());
        }
    }
}
