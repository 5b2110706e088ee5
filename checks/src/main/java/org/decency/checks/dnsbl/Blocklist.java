package org.decency.checks.dnsbl;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiFunction;
import org.decency.config.ConfigNode;

/**
 * One list as configured: its zone, the name its scores go under, the weights of a hit
 * and of a miss, which return codes count, and whether a hit rejects at once or shows
 * the list's TXT reason. A list entry is a zone alone ({@code - bl.example.org}) or:
 *
 * <pre>{@code
 * - host: zen.spamhaus.org    # the zone (required)
 *   name: ZEN                 # scores DNSBL_ZEN (hit) and DNSBL_NOT_ZEN (miss); default from the zone: ZEN_SPAMHAUS_ORG
 *   weight: -100              # score of a hit
 *   miss_weight: 0            # score when not listed (e.g. 1.5)
 *   codes: {127.0.0.2: -100, 127.0.0.4: -80}   # or a list of codes, or bitmask: {2: -80, 4: -20}
 *   harsh: 0                  # default: the module's
 *   use_txt: 0                # default: the module's
 * }</pre>
 *
 * @param name the list's part of its score codes: {@code <module>_<name>} on a hit,
 *             {@code <module>_NOT_<name>} on a miss
 */
public record Blocklist(String zone, String name, double weight, double missWeight, ReturnCodes codes,
                        boolean harsh, boolean useTxt) {

    /** Room left for the longest question, an IPv6 address reversed (72 characters). */
    static final int MAX_ZONE_LENGTH = 180;

    /**
     * Reads the keys every list has; a mapping entry is left for the caller to read its
     * own keys from and to {@link ConfigNode#finish() finish}.
     */
    public static Blocklist read(ConfigNode item, BlocklistOptions module) {
        if (item.isScalar()) {
            String zone = zone(item);
            return new Blocklist(zone, defaultName(zone), -100, 0, ReturnCodes.any(-100), module.harsh(), module.useTxt());
        }
        ConfigNode hostNode = item.required("host");
        String zone = zone(hostNode);
        String name = item.child("name").map(Blocklist::name).orElse(defaultName(zone));
        double weight = item.number("weight", -100);
        double miss = item.number("miss_weight", 0);
        ReturnCodes codes = ReturnCodes.read(item, weight);
        var harshNode = item.child("harsh");
        boolean harsh = harshNode.map(ConfigNode::asBool).orElse(module.harsh());
        if (harsh && harshNode.isPresent() && !codes.canGiveSpamScore()) {
            throw harshNode.get().error("a harsh list rejects on a spam hit, but this list only gives scores of 0 or more");
        }
        return new Blocklist(zone, name, weight, miss, codes, harsh, item.bool("use_txt", module.useTxt()));
    }

    /**
     * Reads the list entries under {@code key} (or its alias): each a {@link Blocklist} with
     * the caller's own keys ({@code extra}), finished, with names that are unique.
     */
    public static <T> List<T> readAll(ConfigNode n, String key, String alias, BlocklistOptions options,
                                     BiFunction<ConfigNode, Blocklist, T> extra) {
        ConfigNode node = n.child(key, alias).orElseGet(() -> n.required(key));
        List<ConfigNode> items = node.asList();
        if (items.isEmpty()) throw node.error("name at least one list, e.g. \"- host: bl.example.org\"");
        List<T> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode item : items) {
            Blocklist list = Blocklist.read(item, options);
            if (!names.add(list.name())) {
                throw item.error("a second list named " + list.name() + "; give each list its own name: (it is part of the score codes)");
            }
            out.add(extra.apply(item, list));
            if (item.isMapping()) item.finish();
        }
        return out;
    }

    private static String zone(ConfigNode n) {
        String zone = DomainName.plain(n.text(), 1);
        if (zone == null || zone.length() > MAX_ZONE_LENGTH) {
            throw n.error("expected the DNS zone of a list, such as bl.example.org, got \"" + n.text() + "\"");
        }
        return zone;
    }

    private static String name(ConfigNode n) {
        String name = n.text().strip();
        if (!name.matches("[A-Za-z0-9_]+")) throw n.error("expected letters, digits and _ only (it becomes a score code), got \"" + name + "\"");
        return name;
    }

    /** {@code bl.spamcop.net} → {@code BL_SPAMCOP_NET}. */
    static String defaultName(String zone) {
        return zone.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    public String hitCode(String module) {
        return module + "_" + name;
    }

    public String missCode(String module) {
        return module + "_NOT_" + name;
    }
}
