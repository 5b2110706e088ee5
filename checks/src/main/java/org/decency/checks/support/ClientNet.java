package org.decency.checks.support;

import org.decency.core.IpAddress;

/**
 * Groups clients by network, as greylisting and whitelisting do: big senders send
 * from several addresses of one network. A prefix of 32 (IPv4) or 128 (IPv6) keeps
 * single addresses.
 */
public record ClientNet(int prefixV4, int prefixV6) {

    public ClientNet {
        if (prefixV4 < 1 || prefixV4 > 32) throw new IllegalArgumentException("IPv4 prefix must be 1..32");
        if (prefixV6 < 1 || prefixV6 > 128) throw new IllegalArgumentException("IPv6 prefix must be 1..128");
    }

    /** {@code 192.0.2.0/24} for 192.0.2.7 with prefix 24. */
    public String of(IpAddress ip) {
        return ip.network(ip.isV4() ? prefixV4 : prefixV6);
    }
}
