package org.decency.core;

import java.util.Arrays;
import java.util.Optional;

/** An IPv4 or IPv6 network ({@code 192.0.2.0/24}, {@code 2001:db8::/32}) or a single address. */
public record Cidr(IpAddress base, int prefix) {

    /** Parses {@code addr} or {@code addr/prefix}; empty for anything else. */
    public static Optional<Cidr> parse(String text) {
        if (text == null) return Optional.empty();
        String t = text.strip();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        Optional<IpAddress> ip = IpAddress.parse(addr);
        if (ip.isEmpty()) return Optional.empty();
        int max = ip.get().isV4() ? 32 : 128;
        int prefix = max;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            if (!p.matches("[0-9]{1,3}")) return Optional.empty(); // no sign, no blanks: "/+24" and "/-0" are typos
            prefix = Integer.parseInt(p);
            if (prefix > max) return Optional.empty();
        }
        return Optional.of(new Cidr(ip.get(), prefix));
    }

    public boolean contains(IpAddress ip) {
        if (ip == null || ip.isV4() != base.isV4()) return false;
        return Arrays.equals(ip.masked(prefix), base.masked(prefix));
    }

    @Override
    public String toString() {
        return base.network(prefix);
    }
}
