package org.decency.checks.plausibility;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.decency.config.ConfigNode;
import org.decency.core.Cidr;
import org.decency.core.IpAddress;

/**
 * Networks no public mail host lives in: a mail host of the sender domain that resolves
 * into one is bogus. The default list: this network, RFC 1918 private networks, shared
 * (CGN), loopback, link-local, IETF protocol assignments, the documentation networks,
 * benchmarking, multicast and reserved (with broadcast); for IPv6 the unspecified and
 * loopback addresses, discard-only, documentation, unique-local, link-local and
 * multicast. policyd-weight looked at 127/8 and the RFC 1918 networks only.
 */
record BogusNetworks(List<Cidr> networks) {

    static final List<String> DEFAULTS = List.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "ff00::/8");

    BogusNetworks {
        networks = List.copyOf(networks);
    }

    static BogusNetworks read(ConfigNode n) {
        Optional<ConfigNode> node = n.child("bogus_networks");
        if (node.isEmpty()) return defaults();
        List<Cidr> out = new ArrayList<>();
        List<ConfigNode> items = node.get().isSequence() ? node.get().asList() : List.of(node.get());
        for (ConfigNode item : items) {
            out.add(Cidr.parse(item.text()).orElseThrow(() ->
                    item.error("expected an address or network like 10.0.0.0/8 or fc00::/7, got \"" + item.text() + "\"")));
        }
        return new BogusNetworks(out);
    }

    static BogusNetworks defaults() {
        return new BogusNetworks(DEFAULTS.stream().map(s -> Cidr.parse(s).orElseThrow()).toList());
    }

    /** The bogus network {@code ip} lies in. */
    Optional<Cidr> containing(IpAddress ip) {
        return networks.stream().filter(c -> c.contains(ip)).findFirst();
    }
}
