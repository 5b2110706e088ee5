package org.decency.checks.lists;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.decency.config.ConfigNode;
import org.decency.store.ListEntry;
import org.decency.store.ListEntry.Kind;

/**
 * The settings of a CWL or CBL module. Example:
 *
 * <pre>{@code
 * - CBL:
 *     activate_sender_list: 1      # also look at entries for "*" (every recipient domain)
 *     activate_recipient_list: 0   # domains entries (to_domain, "*"): everything to that domain
 *     deactivate_normal_list: 0    # entries for the recipient's own domain (on by default)
 *     tables: [ips, domains, addresses]
 *     reject_message: "Go away"    # CBL only; default "Hit on Custom Black List"
 *     ips:                         # to_domain -> values; "*" = every recipient domain
 *       "*": [192.0.2.0/24, "2001:db8::/32"]
 *       example.org: 198.51.100.7
 *     domains:
 *       example.org: [spam.example]   # also matches mx.spam.example
 *       lists.example: ["*"]          # recipient list: everything to lists.example
 *     addresses: [bad@example.net]    # a plain list is short for {"*": [...]}
 *     file: cbl.txt                # or a list of files; relative to this config file
 * }</pre>
 *
 * <p>Entries come from three sources, all combined: inline as above; list files, read at
 * start, one entry per line ({@code <ips|domains|addresses> <to_domain or *> <value>...},
 * {@code #} starts a comment); and the store's list {@code cwl} / {@code cbl} (written by
 * {@code decency list add}), whose changes are picked up within a second while running.
 *
 * <p>Which entries are looked at follows the seeds: the <b>normal list</b> (on unless
 * {@code deactivate_normal_list}) uses the entries of the recipient's domain; the
 * <b>sender list</b> ({@code activate_sender_list}) the entries for {@code *}; the
 * <b>recipient list</b> ({@code activate_recipient_list}) a domains entry {@code *} for
 * the recipient's domain. Unlike the seeds, the sender list is on by default, so an
 * entry added with {@code decency list add cbl ips X} (for {@code *}) works out of the box.
 * At least one list must be active. A listed sender domain also matches its sub-domains;
 * addresses match case-insensitively; ips take single addresses or CIDR networks, IPv4 or IPv6.
 *
 * <p>{@code negative_cache} (alias {@code use_negative_cache}, the seeds' docs' name) is
 * accepted for compatibility and has no effect: the seeds used it to cache misses of
 * database lookups, but every lookup here is answered from an in-memory index anyway.
 *
 * @param color         white (CWL) or black (CBL)
 * @param modes         which lists and tables are active
 * @param message       the answer text on a hit: OK's text for CWL, the reject text for CBL
 * @param negativeCache accepted, without effect (see above)
 * @param entries       the entries from the config and list files (the store's come later)
 */
public record CustomListConfig(ListColor color, ListModes modes, String message, boolean negativeCache,
                               List<ListEntry> entries) {

    public CustomListConfig {
        entries = List.copyOf(entries);
    }

    /** Reads the module's settings; the caller then calls {@link ConfigNode#finish()}. */
    public static CustomListConfig from(ConfigNode node, ListColor color) {
        boolean normal = !node.bool("deactivate_normal_list", false);
        boolean sender = node.bool("activate_sender_list", true);
        boolean recipient = node.bool("activate_recipient_list", false);
        if (!normal && !sender && !recipient) {
            throw node.error("no list is active: deactivate_normal_list is set and neither activate_sender_list"
                    + " nor activate_recipient_list is; at least one list must be active");
        }
        Set<Kind> tables = tables(node);
        if (recipient && !tables.contains(Kind.DOMAINS)) {
            throw node.required("tables").error("activate_recipient_list needs the domains table");
        }
        String message = color == ListColor.BLACK ? node.string("reject_message", color.defaultMessage()) : color.defaultMessage();
        boolean negativeCache = node.child("negative_cache", "use_negative_cache").map(ConfigNode::asBool).orElse(false);

        List<ListEntry> entries = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            node.child(kind.key()).ifPresent(section -> {
                if (!tables.contains(kind)) throw section.error("listed, but \"tables\" leaves " + kind.key() + " out");
                inline(section, kind, color.storeName(), entries);
            });
        }
        for (ConfigNode file : fileNodes(node)) {
            Path path = node.dir().resolve(file.text());
            if (!Files.isRegularFile(path)) throw file.error("list file not found: " + path);
            entries.addAll(ListFile.read(path, color.storeName()));
        }
        return new CustomListConfig(color, new ListModes(normal, sender, recipient, tables), message, negativeCache, entries);
    }

    private static Set<Kind> tables(ConfigNode node) {
        var tablesNode = node.child("tables");
        if (tablesNode.isEmpty()) return EnumSet.allOf(Kind.class);
        Set<Kind> tables = EnumSet.noneOf(Kind.class);
        for (ConfigNode t : items(tablesNode.get())) {
            try {
                tables.add(Kind.parse(t.text().strip()));
            } catch (IllegalArgumentException e) {
                throw t.error(e.getMessage());
            }
        }
        if (tables.isEmpty()) throw tablesNode.get().error("names no table; expected some of ips, domains, addresses");
        return tables;
    }

    /** {@code to_domain: values} pairs, or a plain list (or single value) meaning to_domain {@code *}. */
    private static void inline(ConfigNode section, Kind kind, String listName, List<ListEntry> out) {
        if (!section.isMapping()) {
            addValues(section, kind, ListValues.ALL, listName, out);
            return;
        }
        for (Map.Entry<String, ConfigNode> e : section.mapping().entrySet()) {
            ConfigNode values = e.getValue();
            String toDomain;
            try {
                toDomain = ListValues.toDomain(e.getKey());
            } catch (IllegalArgumentException bad) {
                throw values.error("the recipient domain " + bad.getMessage());
            }
            if (values.isNull()) throw values.error("expected a value or a list of values");
            addValues(values, kind, toDomain, listName, out);
        }
    }

    private static void addValues(ConfigNode values, Kind kind, String toDomain, String listName, List<ListEntry> out) {
        for (ConfigNode v : items(values)) {
            try {
                out.add(new ListEntry(listName, kind, toDomain, ListValues.normalize(kind, v.text())));
            } catch (IllegalArgumentException bad) {
                throw v.error(bad.getMessage());
            }
        }
    }

    private static List<ConfigNode> fileNodes(ConfigNode node) {
        return node.child("file").map(CustomListConfig::items).orElse(List.of());
    }

    private static List<ConfigNode> items(ConfigNode n) {
        return n.isSequence() ? n.asList() : List.of(n);
    }
}
