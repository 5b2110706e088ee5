package org.decency.checks.spf;

import java.util.Arrays;

/** The addresses an ip4/ip6 mechanism or a cidr length covers: the first {@code prefix} bits of {@code base}. */
record IpNetwork(byte[] base, int prefix) {

    IpNetwork {
        base = base.clone();
    }

    /** True when {@code address} is of the same family and shares the first {@code prefix} bits. */
    boolean contains(byte[] address) {
        if (address.length != base.length) return false;
        int full = prefix / 8;
        for (int i = 0; i < full; i++) if (address[i] != base[i]) return false;
        int rest = prefix % 8;
        if (rest == 0) return true;
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (base[full] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpNetwork n && prefix == n.prefix && Arrays.equals(base, n.base);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(base) + prefix;
    }

    @Override
    public String toString() {
        return Arrays.toString(base) + "/" + prefix;
    }
}
