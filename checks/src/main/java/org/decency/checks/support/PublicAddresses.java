package org.decency.checks.support;

import java.util.List;
import org.decency.core.Cidr;
import org.decency.core.IpAddress;

/**
 * Tells public Internet addresses from those that are never routed there (IANA's
 * special-purpose registries: private, shared, loopback, link-local, documentation,
 * benchmarking, multicast, reserved, the old IPv6 site-local). Such addresses have no country, whatever a
 * database says: some published databases wrongly give {@code 192.168.0.0/16} a
 * country. DeepDNSBL skips them too: no block list knows about them.
 */
public final class PublicAddresses {
    private static final List<Cidr> NOT_PUBLIC = List.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
            "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "64:ff9b:1::/48", "100::/64", "2001:db8::/32", "3fff::/20",
            "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8").stream()
            .map(s -> Cidr.parse(s).orElseThrow()).toList();

    private PublicAddresses() {}

    public static boolean isPublic(IpAddress ip) {
        for (Cidr c : NOT_PUBLIC) if (c.contains(ip)) return false;
        return true;
    }
}
