package org.decency.checks.lists;

import java.util.Locale;
import java.util.regex.Pattern;
import org.decency.core.Cidr;
import org.decency.store.ListEntry.Kind;

/**
 * Checks and normalises list values, the same way for the config, list files and the
 * store: IPs and networks become canonical CIDR text, domains lose a leading {@code *.}
 * or {@code .} (a listed domain covers its sub-domains anyway), everything is lower-case.
 */
final class ListValues {
    /** Written as a to_domain: the entry is for every recipient domain. As a from_domain: for every sender. */
    static final String ALL = "*";

    private static final Pattern DOMAIN = Pattern.compile("[\\p{L}\\p{N}_-]+(\\.[\\p{L}\\p{N}_-]+)*");

    private ListValues() {}

    /** The value in its canonical form; throws {@link IllegalArgumentException} saying what is wrong. */
    static String normalize(Kind kind, String raw) {
        String v = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
        return switch (kind) {
            case IPS -> Cidr.parse(v).map(ListValues::canonical).orElseThrow(() ->
                    new IllegalArgumentException("\"" + raw + "\" is not an IP address or network (e.g. 192.0.2.7, 192.0.2.0/24, 2001:db8::/32)"));
            case DOMAINS -> ALL.equals(v) ? ALL : domain(v, raw);
            case ADDRESSES -> address(v, raw);
        };
    }

    /** A single address as itself ({@code 192.0.2.7}), a network as {@code 192.0.2.0/24}. */
    private static String canonical(Cidr c) {
        boolean single = c.prefix() == (c.base().isV4() ? 32 : 128);
        return single ? c.base().toString() : c.toString();
    }

    /** A recipient domain an entry belongs to, or {@code *}. */
    static String toDomain(String raw) {
        String v = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
        return ALL.equals(v) ? ALL : domain(v, raw);
    }

    private static String domain(String v, String raw) {
        String d = v;
        if (d.startsWith("*.")) d = d.substring(2);
        else if (d.startsWith(".")) d = d.substring(1);
        if (d.endsWith(".")) d = d.substring(0, d.length() - 1);
        if (!DOMAIN.matcher(d).matches()) {
            throw new IllegalArgumentException("\"" + raw + "\" is not a domain (e.g. example.org) or *");
        }
        return d;
    }

    private static String address(String v, String raw) {
        int at = v.lastIndexOf('@');
        boolean ok = at > 0 && v.chars().noneMatch(Character::isWhitespace) && DOMAIN.matcher(v.substring(at + 1)).matches();
        if (!ok) throw new IllegalArgumentException("\"" + raw + "\" is not a mail address (e.g. someone@example.org)");
        return v;
    }
}
