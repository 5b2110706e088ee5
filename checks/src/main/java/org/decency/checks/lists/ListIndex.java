package org.decency.checks.lists;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.decency.core.Cidr;
import org.decency.core.IpAddress;
import org.decency.core.MailAddress;
import org.decency.store.ListEntry;

/**
 * An immutable in-memory index of one custom list, built for the lists and tables a
 * check has switched on. A lookup costs a few hash probes: one per distinct network
 * prefix length for the client IP, one per label of the sender domain, one for the
 * sender address.
 */
final class ListIndex {
    private final ListModes modes;
    private final Map<String, Tables> byToDomain;
    private final int size;
    private final int unused;

    private ListIndex(ListModes modes, Map<String, Tables> byToDomain, int size, int unused) {
        this.modes = modes;
        this.byToDomain = byToDomain;
        this.size = size;
        this.unused = unused;
    }

    /**
     * Indexes {@code entries}. An entry with an invalid value is handed to {@code invalid}
     * (with the reason) and left out; so are entries of a table that is switched off.
     */
    static ListIndex build(ListModes modes, Iterable<ListEntry> entries, BiConsumer<ListEntry, String> invalid) {
        Map<String, Tables> byToDomain = new HashMap<>();
        int size = 0;
        int unused = 0;
        for (ListEntry e : entries) {
            if (!modes.tables().contains(e.kind())) continue;
            String toDomain;
            String value;
            try {
                toDomain = ListValues.toDomain(e.toDomain());
                value = ListValues.normalize(e.kind(), e.value());
            } catch (IllegalArgumentException bad) {
                invalid.accept(e, bad.getMessage());
                continue;
            }
            Tables t = byToDomain.computeIfAbsent(toDomain, k -> new Tables());
            boolean added = switch (e.kind()) {
                case IPS -> t.networks.add(Cidr.parse(value).orElseThrow());
                case DOMAINS -> t.domains.add(value);
                case ADDRESSES -> t.addresses.add(value);
            };
            if (!added) continue;
            size++;
            if (!usable(modes, toDomain, value)) unused++;
        }
        return new ListIndex(modes, Map.copyOf(byToDomain), size, unused);
    }

    /** False for entries no active list ever looks at (e.g. to_domain {@code *} without the sender list). */
    private static boolean usable(ListModes modes, String toDomain, String value) {
        if (ListValues.ALL.equals(toDomain)) return modes.sender();
        if (ListValues.ALL.equals(value)) return modes.recipient();
        return modes.normal();
    }

    /** How many distinct entries are indexed. */
    int size() {
        return size;
    }

    /** How many indexed entries no active list can match (worth a warning: probably a list switch is missing). */
    int unused() {
        return unused;
    }

    /**
     * Looks the transaction's facts up in the lists, in the seeds' order: the normal list,
     * then the sender (global) list, then the recipient list; within one list ips, domains,
     * addresses. Any argument may be missing (null IP, null sender, empty domain).
     *
     * @return what matched, for the log; null when nothing did
     */
    String find(IpAddress ip, MailAddress sender, String recipientDomain) {
        String rcptDomain = recipientDomain == null ? "" : recipientDomain;
        if (modes.normal() && !rcptDomain.isEmpty()) {
            String hit = findIn(rcptDomain, ip, sender);
            if (hit != null) return hit;
        }
        if (modes.sender()) {
            String hit = findIn(ListValues.ALL, ip, sender);
            if (hit != null) return hit;
        }
        if (modes.recipient() && !rcptDomain.isEmpty()) {
            Tables t = byToDomain.get(rcptDomain);
            if (t != null && t.domains.contains(ListValues.ALL)) return "recipient domain " + rcptDomain + " listed for every sender";
        }
        return null;
    }

    private String findIn(String toDomain, IpAddress ip, MailAddress sender) {
        Tables t = byToDomain.get(toDomain);
        if (t == null) return null;
        if (ip != null) {
            Cidr net = t.networks.find(ip);
            if (net != null) {
                boolean single = net.prefix() == (ip.isV4() ? 32 : 128);
                return "client " + ip + (single ? "" : " in " + net) + " for " + toDomain;
            }
        }
        if (sender == null || sender.domain().isEmpty()) return null;
        String listed = listedDomain(t.domains, sender.domain());
        if (listed != null) {
            return "sender domain " + sender.domain() + (listed.equals(sender.domain()) ? "" : " under " + listed) + " for " + toDomain;
        }
        String address = sender.normalized();
        if (t.addresses.contains(address)) return "sender address " + address + " for " + toDomain;
        return null;
    }

    /** The listed domain that is {@code domain} or one of its parents, or null. */
    private static String listedDomain(Set<String> domains, String domain) {
        if (domains.isEmpty()) return null;
        String d = domain;
        while (true) {
            if (domains.contains(d)) return d;
            int dot = d.indexOf('.');
            if (dot < 0) return null;
            d = d.substring(dot + 1);
        }
    }

    /** The three tables of one to_domain. */
    private static final class Tables {
        final Networks networks = new Networks();
        final Set<String> domains = new HashSet<>();
        final Set<String> addresses = new HashSet<>();
    }

    /** Networks keyed by their canonical text, probed once per prefix length in use (longest first). */
    private static final class Networks {
        private final Map<String, Cidr> byText = new HashMap<>();
        private final TreeSet<Integer> v4Prefixes = new TreeSet<>((a, b) -> b - a);
        private final TreeSet<Integer> v6Prefixes = new TreeSet<>((a, b) -> b - a);

        boolean add(Cidr c) {
            (c.base().isV4() ? v4Prefixes : v6Prefixes).add(c.prefix());
            return byText.putIfAbsent(c.toString(), c) == null;
        }

        Cidr find(IpAddress ip) {
            if (byText.isEmpty()) return null;
            for (int prefix : ip.isV4() ? v4Prefixes : v6Prefixes) {
                Cidr c = byText.get(ip.network(prefix));
                if (c != null) return c;
            }
            return null;
        }
    }
}
