package org.decency.checks.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a {@code v=spf1} record by the grammar of RFC 7208 §4.6.1, §5 and §6. The whole
 * record is checked before anything is evaluated: a syntax error anywhere is a permerror,
 * even behind a mechanism that would have matched.
 */
final class SpfRecordParser {
    private static final Pattern MODIFIER = Pattern.compile("([A-Za-z][A-Za-z0-9_.-]*)=(.*)", Pattern.DOTALL);
    /** An optional ip4-cidr-length and an optional ip6-cidr-length at the end of a/mx arguments. */
    private static final Pattern DUAL_CIDR = Pattern.compile("(?:/([0-9]+))?(?://([0-9]+))?$");

    private SpfRecordParser() {}

    static SpfRecord parse(String txt) throws SpfSyntaxException {
        if (!SpfRecord.isSpf1(txt)) throw new SpfSyntaxException("not a v=spf1 record");
        for (char c : txt.toCharArray()) {
            if (c < ' ' || c > '~') {
                throw new SpfSyntaxException(String.format("character U+%04X (not printable ASCII) in the record", (int) c));
            }
        }
        List<Mechanism> mechanisms = new ArrayList<>();
        DomainSpec redirect = null;
        DomainSpec explanation = null;
        for (String term : txt.substring(6).split(" ")) {
            if (term.isEmpty()) continue;
            Matcher m = MODIFIER.matcher(term);
            if (!m.matches()) {
                mechanisms.add(mechanism(term));
                continue;
            }
            String name = m.group(1).toLowerCase(Locale.ROOT);
            String value = m.group(2);
            switch (name) {
                case "redirect" -> {
                    if (redirect != null) throw new SpfSyntaxException("redirect= appears twice");
                    redirect = DomainSpec.parse(value);
                }
                case "exp" -> {
                    if (explanation != null) throw new SpfSyntaxException("exp= appears twice");
                    explanation = DomainSpec.parse(value);
                }
                default -> MacroString.parse(value, true); // unknown modifiers are ignored, but must be well-formed
            }
        }
        return new SpfRecord(mechanisms, redirect, explanation);
    }

    private static Mechanism mechanism(String term) throws SpfSyntaxException {
        Qualifier q = Qualifier.of(term.charAt(0));
        String rest = q == null ? term : term.substring(1);
        if (q == null) q = Qualifier.PASS;
        int end = 0;
        while (end < rest.length() && rest.charAt(end) != ':' && rest.charAt(end) != '/') end++;
        String name = rest.substring(0, end).toLowerCase(Locale.ROOT);
        String args = rest.substring(end);
        return switch (name) {
            case "all" -> {
                if (!args.isEmpty()) throw new SpfSyntaxException("\"" + term + "\": all takes no arguments");
                yield new Mechanism.All(q, term);
            }
            case "include" -> new Mechanism.Include(q, term, DomainSpec.parse(required(term, args)));
            case "exists" -> new Mechanism.Exists(q, term, DomainSpec.parse(required(term, args)));
            case "ptr" -> new Mechanism.Ptr(q, term, args.isEmpty() ? null : DomainSpec.parse(required(term, args)));
            case "a", "mx" -> dual(q, term, name, args);
            case "ip4" -> new Mechanism.Ip(q, term, network(term, required(term, args), false));
            case "ip6" -> new Mechanism.Ip(q, term, network(term, required(term, args), true));
            default -> throw new SpfSyntaxException("unknown mechanism \"" + term + "\"");
        };
    }

    /** The text after the ":" a mechanism needs. */
    private static String required(String term, String args) throws SpfSyntaxException {
        if (!args.startsWith(":")) throw new SpfSyntaxException("\"" + term + "\" needs \":\" and a value");
        return args.substring(1);
    }

    private static Mechanism dual(Qualifier q, String term, String name, String args) throws SpfSyntaxException {
        Matcher m = DUAL_CIDR.matcher(args);
        if (!m.find()) throw new IllegalStateException("the pattern matches at the end of any text");
        int cidr4 = m.group(1) == null ? 32 : prefix(term, m.group(1), 32);
        int cidr6 = m.group(2) == null ? 128 : prefix(term, m.group(2), 128);
        String body = args.substring(0, m.start());
        DomainSpec domain = body.isEmpty() ? null : DomainSpec.parse(required(term, body));
        return name.equals("a") ? new Mechanism.A(q, term, domain, cidr4, cidr6) : new Mechanism.Mx(q, term, domain, cidr4, cidr6);
    }

    private static IpNetwork network(String term, String value, boolean six) throws SpfSyntaxException {
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        byte[] bytes = six ? IpText.parseIp6(address) : IpText.parseIp4(address);
        if (bytes == null) throw new SpfSyntaxException("\"" + term + "\": not an " + (six ? "IPv6" : "IPv4") + " address");
        int max = six ? 128 : 32;
        int prefix = slash < 0 ? max : prefix(term, value.substring(slash + 1), max);
        return new IpNetwork(bytes, prefix);
    }

    /** A cidr length: digits without leading zeros, at most {@code max}. */
    private static int prefix(String term, String digits, int max) throws SpfSyntaxException {
        if (!digits.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(digits) > max) {
            throw new SpfSyntaxException("\"" + term + "\": bad prefix length /" + digits + " (0 to " + max + ")");
        }
        return Integer.parseInt(digits);
    }
}
