package org.decency.checks.dnsbl;

import java.util.List;
import org.decency.config.ConfigNode;

/**
 * The settings of a DNSBL module: the module-wide options of {@link BlocklistOptions}
 * and the lists (the seeds' {@code blacklist:}, alias {@code lists:}), each as in
 * {@link Blocklist} plus {@code ipv6: 1} (0: a list that knows IPv4 only, not asked
 * about IPv6 clients, so its miss weight is not earned by them). Example:
 *
 * <pre>{@code
 * - DNSBL:
 *     harsh: 0
 *     max_hits: 3
 *     blacklist:
 *       - host: zen.spamhaus.org
 *         codes: {127.0.0.2: -100, 127.0.0.3: -100, 127.0.0.4: -80, 127.0.0.10: -20, 127.0.0.11: -20}
 *         use_txt: 1
 *       - {host: bl.spamcop.net, weight: -80, miss_weight: 1.5, name: SPAMCOP, ipv6: 0}
 *       - b.barracudacentral.org
 * }</pre>
 */
public record DnsblConfig(BlocklistOptions options, List<DnsblList> lists) {

    /** A list and whether it is asked about IPv6 clients. */
    public record DnsblList(Blocklist list, boolean ipv6) {}

    public DnsblConfig {
        lists = List.copyOf(lists);
    }

    public static DnsblConfig from(ConfigNode n) {
        BlocklistOptions options = BlocklistOptions.read(n);
        List<DnsblList> lists = Blocklist.readAll(n, "blacklist", "lists", options,
                (item, list) -> new DnsblList(list, !item.isMapping() || item.bool("ipv6", true)));
        return new DnsblConfig(options, lists);
    }

    /** The lists alone, in order. */
    public List<Blocklist> blocklists() {
        return lists.stream().map(DnsblList::list).toList();
    }
}
