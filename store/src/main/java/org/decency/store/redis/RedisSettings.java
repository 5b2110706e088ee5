package org.decency.store.redis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where the Redis store connects, and how. Exactly one mode: standalone ({@code host},
 * {@code port}), Sentinel ({@code sentinelMaster} plus {@code sentinels}: the address of
 * the current master is asked from the sentinels, and asked again after a fail-over) or
 * Cluster ({@code cluster}: seed nodes; the topology is read from them and refreshed).
 *
 * @param username         ACL user, or null for the default user
 * @param password         or null
 * @param database         the logical database (standalone and Sentinel only; 0 in a cluster)
 * @param sentinelPassword the sentinels' own password, or null
 * @param timeout          per call: a command not answered by then fails with
 *                         {@link org.decency.store.StoreUnavailableException}; also the connect timeout
 * @param prefix           put before every key, so several Decency set-ups can share one Redis
 */
public record RedisSettings(String host, int port, String username, String password, int database,
                            String sentinelMaster, List<HostPort> sentinels, String sentinelPassword,
                            List<HostPort> cluster, Duration timeout, String prefix) {

    public static final int DEFAULT_PORT = 6379;
    public static final int DEFAULT_SENTINEL_PORT = 26379;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final String DEFAULT_PREFIX = "decency:";

    /** One {@code host:port} (IPv6 in brackets: {@code [::1]:6379}). */
    public record HostPort(String host, int port) {
        public static HostPort parse(String s, int defaultPort) {
            String t = s.strip();
            if (t.startsWith("[")) {
                int end = t.indexOf(']');
                if (end < 0) throw new IllegalArgumentException("unclosed [ in \"" + s + "\"");
                String rest = t.substring(end + 1);
                return new HostPort(t.substring(1, end), rest.startsWith(":") ? port(rest.substring(1), s) : defaultPort);
            }
            int colon = t.lastIndexOf(':');
            if (colon > 0 && t.indexOf(':') == colon) return new HostPort(t.substring(0, colon), port(t.substring(colon + 1), s));
            if (t.isEmpty()) throw new IllegalArgumentException("empty address");
            return new HostPort(t, defaultPort);
        }

        private static int port(String p, String whole) {
            try {
                int n = Integer.parseInt(p);
                if (n < 1 || n > 65535) throw new NumberFormatException();
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in \"" + whole + "\"");
            }
        }

        @Override
        public String toString() {
            return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    public RedisSettings {
        sentinels = sentinels == null ? List.of() : List.copyOf(sentinels);
        cluster = cluster == null ? List.of() : List.copyOf(cluster);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be more than 0");
        prefix = prefix == null ? DEFAULT_PREFIX : prefix;
        if (sentinelMaster != null && sentinels.isEmpty()) throw new IllegalArgumentException("sentinel needs at least one node");
        if (sentinelMaster != null && !cluster.isEmpty()) throw new IllegalArgumentException("sentinel and cluster exclude each other");
        if (!cluster.isEmpty() && database != 0) throw new IllegalArgumentException("a Redis cluster has only database 0");
    }

    /** A standalone server with the defaults. */
    public static RedisSettings standalone(String host, int port) {
        return new RedisSettings(host, port, null, null, 0, null, List.of(), null, List.of(), DEFAULT_TIMEOUT, DEFAULT_PREFIX);
    }

    public RedisSettings withTimeout(Duration t) {
        return new RedisSettings(host, port, username, password, database, sentinelMaster, sentinels, sentinelPassword, cluster, t, prefix);
    }

    public RedisSettings withPrefix(String p) {
        return new RedisSettings(host, port, username, password, database, sentinelMaster, sentinels, sentinelPassword, cluster, timeout, p);
    }

    public boolean isCluster() {
        return !cluster.isEmpty();
    }

    public boolean isSentinel() {
        return sentinelMaster != null;
    }

    /** For log lines and errors: never shows the password. */
    public String describe() {
        if (isCluster()) return "redis cluster " + cluster;
        if (isSentinel()) return "redis sentinel " + sentinelMaster + "@" + sentinels + (database != 0 ? "/" + database : "");
        return "redis " + new HostPort(host, port) + (database != 0 ? "/" + database : "");
    }
}
