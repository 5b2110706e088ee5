package org.decency.checks.dnsbl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.decency.config.ConfigNode;
import org.decency.core.IpAddress;
import org.decency.dns.DnsAnswer;

/**
 * What a list's A answers mean. Three forms:
 * <ul>
 * <li>no {@code codes} or {@code bitmask}: any return code in 127.0.0.0/8 is a listing with the list's weight;</li>
 * <li>{@code codes}: only the codes named count, each with its own weight
 *     ({@code {127.0.0.2: -100, 127.0.0.4: -50}}) or the list's ({@code [127.0.0.2, 127.0.0.4]});</li>
 * <li>{@code bitmask}: the last octet is a set of bits ({@code {2: -80, 4: -20}}, or a list of bits
 *     with the list's weight), as SURBL and URIBL answer.</li>
 * </ul>
 * An answer naming several codes counts once, with the weight of the largest magnitude.
 * Codes outside 127.0.0.0/8 are never listings but errors (a list whose domain expired
 * may answer every question with a parking address); so are 127.255.255.x, which Spamhaus
 * and others send to refuse a query, unless {@code codes} names them.
 */
public final class ReturnCodes {
    private final double weight;
    private final Map<String, Double> codes;
    private final Map<Integer, Double> bits;

    private ReturnCodes(double weight, Map<String, Double> codes, Map<Integer, Double> bits) {
        this.weight = weight;
        this.codes = codes;
        this.bits = bits;
    }

    /** Every code in 127.0.0.0/8 is a listing worth {@code weight}. */
    public static ReturnCodes any(double weight) {
        return new ReturnCodes(weight, Map.of(), Map.of());
    }

    /** Reads {@code codes} or {@code bitmask} of a list entry; {@code weight} is the list's. */
    public static ReturnCodes read(ConfigNode list, double weight) {
        var codesNode = list.child("codes");
        var bitsNode = list.child("bitmask");
        if (codesNode.isPresent() && bitsNode.isPresent()) {
            throw bitsNode.get().error("give either codes or bitmask, not both");
        }
        if (codesNode.isPresent()) {
            Map<String, Double> codes = new LinkedHashMap<>();
            for (Entry e : entries(codesNode.get(), weight)) codes.put(code(e), e.weight());
            return new ReturnCodes(weight, codes, Map.of());
        }
        if (bitsNode.isPresent()) {
            Map<Integer, Double> bits = new LinkedHashMap<>();
            for (Entry e : entries(bitsNode.get(), weight)) bits.put(bit(e), e.weight());
            return new ReturnCodes(weight, Map.of(), bits);
        }
        return any(weight);
    }

    /** One configured code or bit: its text, where it was written, its weight. */
    private record Entry(String key, ConfigNode where, double weight) {}

    /** A mapping of key to weight, or a list of keys that all weigh {@code weight}. */
    private static List<Entry> entries(ConfigNode n, double weight) {
        List<Entry> out = new ArrayList<>();
        if (n.isMapping()) {
            for (var e : n.mapping().entrySet()) out.add(new Entry(e.getKey(), e.getValue(), e.getValue().asNumber()));
        } else {
            for (ConfigNode item : n.isScalar() ? List.of(n) : n.asList()) out.add(new Entry(item.text(), item, weight));
        }
        if (out.isEmpty()) throw n.error("name at least one code, or leave the key out to count every code");
        return out;
    }

    private static String code(Entry e) {
        String t = e.key().strip();
        IpAddress ip = IpAddress.parse(t).orElse(null);
        if (ip == null || !ip.isV4() || (ip.bytes()[0] & 255) != 127) {
            throw e.where().error("expected a return code in 127.0.0.0/8 such as 127.0.0.2, got \"" + t + "\"");
        }
        return ip.toString();
    }

    private static int bit(Entry e) {
        int b;
        try {
            b = Integer.parseInt(e.key().strip());
        } catch (NumberFormatException x) {
            b = -1;
        }
        if (b < 1 || b > 255) {
            throw e.where().error("expected a bit of the last octet, 1 to 255 (e.g. 2, 4, 8), got \"" + e.key() + "\"");
        }
        return b;
    }

    /** True when some listing under these settings gives a spam (negative) score. */
    public boolean canGiveSpamScore() {
        if (!codes.isEmpty()) return codes.values().stream().anyMatch(w -> w < 0);
        if (!bits.isEmpty()) return bits.values().stream().anyMatch(w -> w < 0);
        return weight < 0;
    }

    /** The meaning of {@code answer} to an A question. */
    public Listing classify(DnsAnswer answer) {
        return switch (answer.status()) {
            case NXDOMAIN, NODATA -> Listing.notListed();
            case SERVFAIL, TIMEOUT -> Listing.error(answer.status().name());
            case BAD_NAME -> Listing.unaskable();
            case OK -> classify(answer.values());
        };
    }

    private Listing classify(List<String> addresses) {
        List<String> matched = new ArrayList<>();
        double best = 0;
        String problem = "";
        for (String a : addresses) {
            IpAddress ip = IpAddress.parse(a).orElse(null);
            if (ip == null || !ip.isV4()) continue;
            byte[] b = ip.bytes();
            String code = ip.toString();
            if ((b[0] & 255) != 127) {
                problem = "answered " + code + ", outside 127.0.0.0/8";
                continue;
            }
            if (codes.isEmpty() && (b[1] & 255) == 255 && (b[2] & 255) == 255) {
                problem = "refused the query (" + code + ")";
                continue;
            }
            Double w = weightOf(code, b[3] & 255);
            if (w == null) continue;
            if (matched.isEmpty() || Math.abs(w) > Math.abs(best)) best = w;
            matched.add(code);
        }
        if (!matched.isEmpty()) return Listing.listed(best, matched);
        return problem.isEmpty() ? Listing.notListed() : Listing.error(problem);
    }

    /** The weight of one code, null when the settings ignore it. */
    private Double weightOf(String code, int last) {
        if (!codes.isEmpty()) return codes.get(code);
        if (bits.isEmpty()) return weight;
        Double best = null;
        for (var e : bits.entrySet()) {
            if ((last & e.getKey()) != 0 && (best == null || Math.abs(e.getValue()) > Math.abs(best))) best = e.getValue();
        }
        return best;
    }
}
