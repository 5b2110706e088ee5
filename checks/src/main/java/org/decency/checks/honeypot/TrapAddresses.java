package org.decency.checks.honeypot;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.decency.config.ConfigNode;
import org.decency.core.MailAddress;

/**
 * Trap recipients: addresses nobody real uses, whole domains with the local parts that
 * are not traps. Read from the keys {@code addresses} and {@code domains} by the
 * Doorman's Honeypot and the Detective's HoneyCollector alike:
 *
 * <pre>{@code
 * addresses: [trap@example.org]          # full recipient addresses
 * domains:                               # every address of these domains ...
 *   - honey.example.org
 *   - domain: example.net                # ... except these local parts
 *     exceptions: [postmaster, abuse]
 * }</pre>
 *
 * @param addresses trap recipient addresses, lower-case
 * @param domains   trap domains, each with the local parts (lower-case) that are not traps
 */
public record TrapAddresses(Set<String> addresses, Map<String, Set<String>> domains) {

    public TrapAddresses {
        addresses = Set.copyOf(addresses);
        Map<String, Set<String>> copy = new HashMap<>();
        domains.forEach((d, ex) -> copy.put(d, Set.copyOf(ex)));
        domains = Map.copyOf(copy);
    }

    /** Reads {@code addresses} and {@code domains} of {@code node}; the caller finishes the node. */
    public static TrapAddresses read(ConfigNode node) {
        Set<String> addresses = new HashSet<>();
        for (ConfigNode a : items(node.child("addresses").orElse(null))) {
            MailAddress m = MailAddress.parse(a.text());
            if (m.localPart().isEmpty() || m.domain().isEmpty()) throw a.error("expected a mail address like trap@example.org");
            addresses.add(m.normalized());
        }
        Map<String, Set<String>> domains = new HashMap<>();
        for (ConfigNode d : items(node.child("domains").orElse(null))) readDomain(d, domains);
        return new TrapAddresses(addresses, domains);
    }

    private static void readDomain(ConfigNode d, Map<String, Set<String>> domains) {
        String domain;
        Set<String> exceptions = new HashSet<>();
        if (d.isMapping()) {
            domain = d.requiredString("domain");
            for (ConfigNode e : items(d.child("exceptions").orElse(null))) {
                String local = e.text().strip().toLowerCase(Locale.ROOT);
                if (local.isEmpty() || local.contains("@")) throw e.error("expected a local part like postmaster (without @domain)");
                exceptions.add(local);
            }
            d.finish();
        } else {
            domain = d.text();
        }
        String clean = domain.strip().toLowerCase(Locale.ROOT);
        if (clean.isEmpty() || clean.contains("@") || clean.chars().anyMatch(Character::isWhitespace)) {
            throw d.error("expected a domain like honey.example.org, got \"" + domain + "\"");
        }
        domains.computeIfAbsent(clean, k -> new HashSet<>()).addAll(exceptions);
    }

    private static List<ConfigNode> items(ConfigNode n) {
        if (n == null) return List.of();
        return n.isSequence() ? n.asList() : List.of(n);
    }

    /** True when no trap is configured. */
    public boolean isEmpty() {
        return addresses.isEmpty() && domains.isEmpty();
    }

    /** True when mail to {@code recipient} can only come from someone who harvested the address. */
    public boolean isTrap(MailAddress recipient) {
        if (recipient.isNull() || recipient.domain().isEmpty()) return false;
        if (addresses.contains(recipient.normalized())) return true;
        Set<String> exceptions = domains.get(recipient.domain());
        return exceptions != null && !exceptions.contains(recipient.localPart().toLowerCase(Locale.ROOT));
    }
}
