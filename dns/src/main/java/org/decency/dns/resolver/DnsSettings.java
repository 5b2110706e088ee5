package org.decency.dns.resolver;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.decency.config.ConfigNode;
import org.decency.core.IpAddress;

/**
 * The {@code dns:} section: which nameservers to ask and how patiently. Example (the
 * defaults, but for the servers):
 *
 * <pre>{@code
 * dns:
 *   servers: [127.0.0.1:53, "[::1]:53"]   # asked in this order; default: the system's resolv.conf
 *   timeout: 2s          # per try
 *   retries: 1           # tries after the first, per server
 *   cache_size: 100000   # answers kept (each for its TTL)
 *   max_ttl: 1d          # no answer is kept longer
 *   negative_ttl: 5m     # NXDOMAIN/NODATA without an SOA to say how long
 *   error_ttl: 5s        # SERVFAIL answers are reused this long (timeouts never)
 * }</pre>
 *
 * @param servers empty: the system's resolver configuration
 */
public record DnsSettings(List<InetSocketAddress> servers, Duration timeout, int retries, long cacheSize,
                          Duration maxTtl, Duration negativeTtl, Duration errorTtl) {

    public DnsSettings {
        servers = List.copyOf(servers);
    }

    public static DnsSettings defaults() {
        return new DnsSettings(List.of(), Duration.ofSeconds(2), 1, 100_000, Duration.ofDays(1),
                Duration.ofMinutes(5), Duration.ofSeconds(5));
    }

    /** Servers given as {@code host:port} strings, the rest the defaults (for tests and tools). */
    public static DnsSettings of(String... servers) {
        DnsSettings d = defaults();
        List<InetSocketAddress> list = new ArrayList<>();
        for (String s : servers) list.add(server(s, null));
        return new DnsSettings(list, d.timeout(), d.retries(), d.cacheSize(), d.maxTtl(), d.negativeTtl(), d.errorTtl());
    }

    /** Reads {@code dns:} from a server config's root; the defaults when it is absent. */
    public static DnsSettings read(ConfigNode root) {
        DnsSettings d = defaults();
        ConfigNode n = root.child("dns").orElse(null);
        if (n == null) return d;
        List<InetSocketAddress> servers = new ArrayList<>();
        for (ConfigNode s : n.child("servers").map(x -> x.isSequence() ? x.asList() : List.of(x)).orElse(List.of())) {
            servers.add(server(s.text(), s));
        }
        Duration timeout = n.duration("timeout", d.timeout());
        if (timeout.isZero()) throw n.required("timeout").error("must be more than 0");
        int retries = n.integer("retries", d.retries());
        if (retries < 0 || retries > 10) throw n.required("retries").error("expected 0 to 10");
        long cacheSize = n.integer("cache_size", (int) d.cacheSize());
        if (cacheSize < 0) throw n.required("cache_size").error("must be 0 (no cache) or more");
        DnsSettings s = new DnsSettings(servers, timeout, retries, cacheSize, n.duration("max_ttl", d.maxTtl()),
                n.duration("negative_ttl", d.negativeTtl()), n.duration("error_ttl", d.errorTtl()));
        n.finish();
        return s;
    }

    /** {@code 127.0.0.1:53}, {@code [::1]:5353}, or an address alone (port 53). Never a name: that would need DNS. */
    static InetSocketAddress server(String text, ConfigNode where) {
        String t = text.strip();
        String host = t;
        int port = 53;
        int colon = t.lastIndexOf(':');
        boolean bracketed = t.startsWith("[");
        if (bracketed ? t.contains("]:") : colon > 0 && t.indexOf(':') == colon) {
            host = t.substring(0, colon);
            try {
                port = Integer.parseInt(t.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        IpAddress ip = IpAddress.parse(host).orElse(null);
        if (ip == null || port < 1 || port > 65535) {
            String problem = "expected a nameserver address like 127.0.0.1:53 or [::1]:53, got \"" + text + "\"";
            throw where == null ? new IllegalArgumentException(problem) : where.error(problem);
        }
        try {
            return new InetSocketAddress(java.net.InetAddress.getByAddress(ip.bytes()), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: 4 or 16 bytes
        }
    }

    /** The longest a question may take: every try of every server. */
    public Duration budget() {
        int servers = Math.max(1, this.servers.size());
        return timeout.multipliedBy((long) (retries + 1) * servers).plusMillis(100);
    }
}
