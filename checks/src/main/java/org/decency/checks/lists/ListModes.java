package org.decency.checks.lists;

import java.util.Set;
import org.decency.store.ListEntry.Kind;

/**
 * Which of the seeds' three lists are consulted, and over which tables.
 *
 * @param normal    entries for the recipient's own domain: (to_domain, ip|from_domain|from_address)
 * @param sender    the global list: the same three tables with to_domain {@code *}
 * @param recipient everything to a recipient domain: a domains entry (to_domain, {@code *})
 * @param tables    the tables looked at (ips, domains, addresses)
 */
public record ListModes(boolean normal, boolean sender, boolean recipient, Set<Kind> tables) {

    public ListModes {
        tables = Set.copyOf(tables);
    }
}
