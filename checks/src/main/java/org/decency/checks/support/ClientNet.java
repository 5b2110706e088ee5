package org.decency.checks.support;

import org.decency.config.ConfigNode;
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

    /** Reads {@code client_net_v4} and {@code client_net_v6} (defaults /24 and /64), checking their ranges. */
    public static ClientNet read(ConfigNode n) {
        int v4 = n.integer("client_net_v4", 24);
        int v6 = n.integer("client_net_v6", 64);
        if (v4 < 1 || v4 > 32) throw n.required("client_net_v4").error("expected a prefix length from 1 to 32");
        if (v6 < 1 || v6 > 128) throw n.required("client_net_v6").error("expected a prefix length from 1 to 128");
        return new ClientNet(v4, v6);
    }

    /** {@code 192.0.2.0/24} for 192.0.2.7 with prefix 24. */
    public String of(IpAddress ip) {
        return ip.network(ip.isV4() ? prefixV4 : prefixV6);
    }
}
