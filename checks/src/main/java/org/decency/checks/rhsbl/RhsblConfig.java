package org.decency.checks.rhsbl;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.decency.checks.dnsbl.Blocklist;
import org.decency.checks.dnsbl.BlocklistOptions;
import org.decency.config.ConfigNode;

/**
 * The settings of an RHSBL module: the module-wide options of {@link BlocklistOptions},
 * {@code parent_domains} (the default of the lists' own), and the lists ({@code lists:},
 * alias {@code blacklist:}), each as in {@link Blocklist} plus:
 *
 * <pre>{@code
 * check: [sender, helo, client]   # which names to ask about (default: all three)
 * parent_domains: 0               # 1: also the parent domains, down to two labels
 * }</pre>
 *
 * Example:
 *
 * <pre>{@code
 * - RHSBL:
 *     lists:
 *       - {host: dbl.spamhaus.org, weight: -80, check: [sender, helo], codes: [127.0.1.2, 127.0.1.4, 127.0.1.5, 127.0.1.6]}
 *       - {host: multi.surbl.org, bitmask: {8: -60, 16: -60, 64: -40}, check: sender, parent_domains: 1}
 * }</pre>
 */
public record RhsblConfig(BlocklistOptions options, List<RhsblList> lists) {

    /** Most names asked per identity and list: the name and three parents. */
    static final int MAX_NAMES = 4;

    /** A list, the identities it is asked about, and whether their parent domains are asked too. */
    public record RhsblList(Blocklist list, Set<Identity> check, boolean parentDomains) {
        public RhsblList {
            check = Set.copyOf(check);
        }
    }

    public RhsblConfig {
        lists = List.copyOf(lists);
    }

    public static RhsblConfig from(ConfigNode n) {
        BlocklistOptions options = BlocklistOptions.read(n);
        boolean parents = n.bool("parent_domains", false);
        List<RhsblList> lists = Blocklist.readAll(n, "lists", "blacklist", options, (item, list) -> item.isMapping()
                ? new RhsblList(list, identities(item), item.bool("parent_domains", parents))
                : new RhsblList(list, EnumSet.allOf(Identity.class), parents));
        return new RhsblConfig(options, lists);
    }

    private static Set<Identity> identities(ConfigNode item) {
        var node = item.child("check");
        if (node.isEmpty()) return EnumSet.allOf(Identity.class);
        Set<Identity> out = EnumSet.noneOf(Identity.class);
        for (ConfigNode c : node.get().isScalar() ? List.of(node.get()) : node.get().asList()) out.add(Identity.read(c));
        if (out.isEmpty()) throw node.get().error("name at least one of sender, helo, client");
        return out;
    }

    public List<Blocklist> blocklists() {
        return lists.stream().map(RhsblList::list).toList();
    }
}
