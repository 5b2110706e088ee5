package org.decency.store.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.decency.pipeline.LatencyBuckets;
import org.decency.store.ListEntry;
import org.decency.store.ListStore;
import org.decency.store.StatsRow;
import org.decency.store.Store;
import org.decency.store.StoreException;
import org.decency.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store on Redis (standalone, Sentinel or Cluster, through Lettuce): the state that
 * many Decency instances on many machines share. Every operation is one Redis command or
 * one Lua script on one key, so it is atomic across instances:
 * <ul>
 * <li>{@link #putIfAbsent}: {@code SET key value NX PX ttl};</li>
 * <li>{@link #increment}: a script doing {@code INCRBY} and, for a new counter, {@code PEXPIRE};</li>
 * <li>{@link #expire}: {@code PEXPIRE}; expiry is Redis's own, to the millisecond.</li>
 * </ul>
 * Lists are sets {@code <prefix>{lists}:<name>} (members {@code kind TAB to_domain TAB value})
 * with the counter {@code <prefix>{lists}:version}, changed together by a script (the hash
 * tag keeps them in one cluster slot). Statistics are hashes
 * {@code <prefix>stats:{<server>:<period>}:<table>:<start>} with the fields
 * {@code <module> TAB <status> TAB calls|hits|finals|rejects|score|runtime|b0..b20} and
 * {@code last_update}, indexed by the sorted set {@code <prefix>stats:{<server>:<period>}:index}
 * (members {@code <table>:<start>}, scored by the start; the hash tag keeps a server's
 * period in one cluster slot, so a script changes the hash and the index together), and
 * the servers in the set {@code <prefix>stats:servers}. Old periods are deleted by
 * {@link #pruneStats} (the servers' maintenance), not by key expiry.
 *
 * <p>Each call waits at most the configured timeout. While the connection is down every call
 * fails with {@link StoreUnavailableException} (standalone and Sentinel: at once; Cluster:
 * after the timeout, as commands wait for a node's connection there), and Lettuce
 * reconnects in the background (every 50 ms at first, backing off to 2 s); the first call
 * after that works.
 */
public final class RedisStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(RedisStore.class);

    private static final String INCREMENT = """
            local cur = redis.call('GET', KEYS[1])
            if cur and not string.match(cur, '^%-?%d+$') then
              redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
              return tonumber(ARGV[1])
            end
            local v = redis.call('INCRBY', KEYS[1], ARGV[1])
            if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return v""";
    private static final String LIST_ADD = """
            if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then redis.call('INCR', KEYS[2]) return 1 end
            return 0""";
    private static final String LIST_REMOVE = """
            if redis.call('SREM', KEYS[1], ARGV[1]) == 1 then redis.call('INCR', KEYS[2]) return 1 end
            return 0""";
    /** KEYS: the hash, the index; ARGV: last_update, index member, its score, then (field, increment) pairs. */
    private static final String STATS = """
            for i = 4, #ARGV, 2 do
              local f = ARGV[i]
              if string.sub(f, 1, 1) == '#' then redis.call('HINCRBY', KEYS[1], string.sub(f, 2), ARGV[i + 1])
              else redis.call('HINCRBYFLOAT', KEYS[1], f, ARGV[i + 1]) end
            end
            redis.call('HSET', KEYS[1], 'last_update', ARGV[1])
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
            return 1""";
    private final RedisSettings settings;
    private final String name;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> connection;
    private final RedisClusterCommands<String, String> redis;
    private final RedisLists lists = new RedisLists();
    private final Map<String, String> shas = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean closed;

    private RedisStore(RedisSettings settings, ClientResources resources, AbstractRedisClient client,
                       StatefulConnection<String, String> connection, RedisClusterCommands<String, String> redis) {
        this.settings = settings;
        this.name = settings.describe();
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.redis = redis;
    }

    /**
     * Connects. The server must be reachable now (a wrong address shows at start-up, not at
     * the first mail); later outages are survived by reconnecting.
     *
     * @throws StoreUnavailableException when it cannot connect within the timeout
     */
    public static RedisStore open(RedisSettings s) {
        ClientResources resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        SocketOptions socket = SocketOptions.builder().connectTimeout(s.timeout()).keepAlive(true).build();
        TimeoutOptions timeouts = TimeoutOptions.builder().fixedTimeout(s.timeout()).build();
        AbstractRedisClient client = null;
        try {
            if (s.isCluster()) {
                List<RedisURI> seeds = new ArrayList<>();
                for (RedisSettings.HostPort hp : s.cluster()) seeds.add(uri(s, RedisURI.Builder.redis(hp.host(), hp.port())));
                RedisClusterClient c = RedisClusterClient.create(resources, seeds);
                client = c;
                // Lettuce opens the connection to each node on first use, so rejecting commands while
                // "not connected" would reject the first ones; they wait instead, at most the timeout.
                c.setOptions(ClusterClientOptions.builder()
                        .autoReconnect(true)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                        .socketOptions(socket).timeoutOptions(timeouts)
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                .enablePeriodicRefresh(Duration.ofSeconds(30)).enableAllAdaptiveRefreshTriggers().build())
                        .build());
                var conn = c.connect(StringCodec.UTF8);
                conn.setTimeout(s.timeout());
                return new RedisStore(s, resources, c, conn, conn.sync());
            }
            RedisURI.Builder b;
            if (s.isSentinel()) {
                b = RedisURI.Builder.sentinel(s.sentinels().getFirst().host(), s.sentinels().getFirst().port(), s.sentinelMaster());
                for (RedisSettings.HostPort hp : s.sentinels().subList(1, s.sentinels().size())) b.withSentinel(hp.host(), hp.port());
                b.withDatabase(s.database());
            } else {
                b = RedisURI.Builder.redis(s.host(), s.port()).withDatabase(s.database());
            }
            RedisURI uri = uri(s, b);
            if (s.isSentinel() && s.sentinelPassword() != null) {
                for (RedisURI sentinel : uri.getSentinels()) sentinel.setCredentialsProvider(io.lettuce.core.RedisCredentialsProvider.from(
                        () -> io.lettuce.core.RedisCredentials.just(null, s.sentinelPassword())));
            }
            RedisClient c = RedisClient.create(resources);
            client = c;
            c.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .socketOptions(socket).timeoutOptions(timeouts)
                    .build());
            var conn = c.connect(StringCodec.UTF8, uri);
            conn.setTimeout(s.timeout());
            RedisStore store = new RedisStore(s, resources, c, conn, conn.sync());
            log.info("{}: connected", store.name);
            return store;
        } catch (RuntimeException e) {
            if (client != null) client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            if (e instanceof RedisException) {
                throw new StoreUnavailableException(s.describe(), "cannot connect: " + rootMessage(e), e);
            }
            throw e;
        }
    }

    private static RedisURI uri(RedisSettings s, RedisURI.Builder b) {
        b.withTimeout(s.timeout()).withClientName("decency");
        if (s.password() != null) {
            if (s.username() != null) b.withAuthentication(s.username(), s.password());
            else b.withPassword(s.password().toCharArray());
        }
        return b.build();
    }

    public RedisSettings settings() {
        return settings;
    }

    private String k(String key) {
        return settings.prefix() + key;
    }

    @Override
    public boolean remote() {
        return true;
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(call("GET", () -> redis.get(k(key))));
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        call("SET", () -> redis.set(k(key), value, SetArgs.Builder.px(millis(ttl))));
    }

    @Override
    public boolean putIfAbsent(String key, String value, Duration ttl) {
        return "OK".equals(call("SET NX", () -> redis.set(k(key), value, SetArgs.Builder.nx().px(millis(ttl)))));
    }

    @Override
    public boolean delete(String key) {
        return call("DEL", () -> redis.del(k(key))) > 0;
    }

    @Override
    public long increment(String key, long delta, Duration ttl) {
        Long v = script(INCREMENT, ScriptOutputType.INTEGER, new String[]{k(key)}, Long.toString(delta), Long.toString(millis(ttl)));
        return v;
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        return call("PEXPIRE", () -> redis.pexpire(k(key), millis(ttl)));
    }

    /** One {@code MGET} (Lettuce splits it by slot on a cluster). */
    @Override
    public Map<String, String> getAll(java.util.Collection<String> keys) {
        if (keys.isEmpty()) return Map.of();
        List<String> ks = new ArrayList<>(keys);
        String[] prefixed = new String[ks.size()];
        for (int i = 0; i < prefixed.length; i++) prefixed[i] = k(ks.get(i));
        List<io.lettuce.core.KeyValue<String, String>> values = call("MGET", () -> redis.mget(prefixed));
        Map<String, String> out = new java.util.HashMap<>(values.size() * 2);
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).hasValue()) out.put(ks.get(i), values.get(i).getValue());
        }
        return out;
    }

    /** {@code INCRBY} and {@code PEXPIRE} of every counter, pipelined: one wait for the whole batch. */
    @Override
    public void incrementAll(Map<String, Long> deltas, Duration ttl) {
        if (deltas.isEmpty()) return;
        long ms = millis(ttl);
        call("INCRBY", () -> {
            io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands<String, String> async = async();
            List<io.lettuce.core.RedisFuture<?>> sent = new ArrayList<>(deltas.size() * 2);
            for (Map.Entry<String, Long> d : deltas.entrySet()) {
                sent.add(async.incrby(k(d.getKey()), d.getValue()));
                sent.add(async.pexpire(k(d.getKey()), ms));
            }
            if (!io.lettuce.core.LettuceFutures.awaitAll(settings.timeout(), sent.toArray(new io.lettuce.core.RedisFuture[0]))) {
                throw new RedisCommandTimeoutException("INCRBY of " + deltas.size() + " counters");
            }
            return null;
        });
    }

    @SuppressWarnings("unchecked")
    private io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands<String, String> async() {
        if (connection instanceof io.lettuce.core.api.StatefulRedisConnection<?, ?> c) {
            return ((io.lettuce.core.api.StatefulRedisConnection<String, String>) c).async();
        }
        return ((io.lettuce.core.cluster.api.StatefulRedisClusterConnection<String, String>) connection).async();
    }

    @Override
    public ListStore lists() {
        return lists;
    }

    @Override
    public void addStats(List<StatsRow> rows) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        Map<String, String> indexOf = new LinkedHashMap<>();
        java.util.Set<String> servers = new java.util.TreeSet<>();
        for (StatsRow r : rows) {
            String key = statsKey(r.server(), r.table(), r.period(), r.start());
            servers.add(r.server());
            indexOf.put(key, statsIndex(r.server(), r.period()));
            List<String> args = byKey.computeIfAbsent(key, x -> {
                List<String> a = new ArrayList<>();
                a.add(Long.toString(System.currentTimeMillis() / 1000));
                a.add(r.table() + ":" + r.start());
                a.add(Long.toString(r.start()));
                return a;
            });
            String field = r.module() + "\t" + r.status() + "\t";
            args.add("#" + field + "calls");
            args.add(Long.toString(r.calls()));
            if (r.table().equals(StatsRow.PERFORMANCE)) {
                for (String[] f : new String[][]{{"hits", Long.toString(r.hits())}, {"finals", Long.toString(r.finals())},
                        {"rejects", Long.toString(r.rejects())}}) {
                    if (f[1].equals("0")) continue;
                    args.add("#" + field + f[0]);
                    args.add(f[1]);
                }
                args.add(field + "score");
                args.add(Double.toString(r.score()));
                args.add(field + "runtime");
                args.add(Double.toString(r.runtimeSeconds()));
                for (int i = 0; i < LatencyBuckets.COUNT; i++) {
                    if (r.bucket(i) == 0) continue;
                    args.add("#" + field + "b" + i);
                    args.add(Long.toString(r.bucket(i)));
                }
            }
        }
        if (!servers.isEmpty()) call("SADD", () -> redis.sadd(k("stats:servers"), servers.toArray(String[]::new)));
        for (var e : byKey.entrySet()) {
            script(STATS, ScriptOutputType.INTEGER, new String[]{e.getKey(), indexOf.get(e.getKey())}, e.getValue().toArray(String[]::new));
        }
    }

    @Override
    public List<StatsRow> readStats(String server, String period, long fromStart, long toStart) {
        List<String> servers = server != null ? List.of(server)
                : call("SMEMBERS", () -> redis.smembers(k("stats:servers"))).stream().sorted().toList();
        List<StatsRow> out = new ArrayList<>();
        for (String srv : servers) {
            List<String> members = call("ZRANGEBYSCORE", () -> redis.zrangebyscore(statsIndex(srv, period),
                    io.lettuce.core.Range.create(fromStart, toStart)));
            for (String m : members) {
                int colon = m.lastIndexOf(':');
                String table = m.substring(0, colon);
                long start = Long.parseLong(m.substring(colon + 1));
                out.addAll(parseStats(srv, table, period, start, statsHash(srv, table, period, start)));
            }
        }
        return out;
    }

    /** The rows held in one statistics hash. */
    static List<StatsRow> parseStats(String server, String table, String period, long start, Map<String, String> hash) {
        Map<String, Map<String, String>> byRow = new LinkedHashMap<>();
        for (var e : hash.entrySet()) {
            String[] p = e.getKey().split("\t", 3);
            if (p.length != 3) continue; // last_update
            byRow.computeIfAbsent(p[0] + "\t" + p[1], x -> new java.util.HashMap<>()).put(p[2], e.getValue());
        }
        List<StatsRow> out = new ArrayList<>();
        byRow.forEach((moduleStatus, f) -> {
            String[] ms = moduleStatus.split("\t", 2);
            long[] b = new long[LatencyBuckets.COUNT];
            for (int i = 0; i < b.length; i++) b[i] = Long.parseLong(f.getOrDefault("b" + i, "0"));
            out.add(new StatsRow(server, table, ms[0], ms[1], period, start, Long.parseLong(f.getOrDefault("calls", "0")),
                    Long.parseLong(f.getOrDefault("hits", "0")), Long.parseLong(f.getOrDefault("finals", "0")),
                    Long.parseLong(f.getOrDefault("rejects", "0")), Double.parseDouble(f.getOrDefault("score", "0")),
                    Double.parseDouble(f.getOrDefault("runtime", "0")), b));
        });
        return out;
    }

    /** Deletes the old hashes, then their index members (a member whose hash is gone is harmless meanwhile). */
    @Override
    public int pruneStats(String server, String period, long beforeStart) {
        String index = statsIndex(server, period);
        var older = io.lettuce.core.Range.from(io.lettuce.core.Range.Boundary.<Long>unbounded(),
                io.lettuce.core.Range.Boundary.excluding(beforeStart));
        List<String> old = call("ZRANGEBYSCORE", () -> redis.zrangebyscore(index, older));
        int n = 0;
        for (String m : old) {
            int colon = m.lastIndexOf(':');
            String key = statsKey(server, m.substring(0, colon), period, Long.parseLong(m.substring(colon + 1)));
            n += call("DEL", () -> redis.del(key)).intValue();
        }
        if (!old.isEmpty()) call("ZREMRANGEBYSCORE", () -> redis.zremrangebyscore(index, older));
        return n;
    }

    /** Redis expires keys itself. */
    @Override
    public int sweepExpired() {
        return 0;
    }

    /** The hash holding one server's statistics of one table, period and period start. */
    public String statsKey(String server, String table, String period, long start) {
        return k("stats:{" + server + ":" + period + "}:" + table + ":" + start);
    }

    /** The sorted set indexing a server's statistics hashes of one period. */
    String statsIndex(String server, String period) {
        return k("stats:{" + server + ":" + period + "}:index");
    }

    /** The raw fields of a statistics hash (see the class comment); for tools and tests. */
    public Map<String, String> statsHash(String server, String table, String period, long start) {
        return call("HGETALL", () -> redis.hgetall(statsKey(server, table, period, start)));
    }

    private static long millis(Duration ttl) {
        return Math.max(1, ttl.toMillis());
    }

    private <T> T script(String script, ScriptOutputType type, String[] keys, String... args) {
        return call("EVALSHA", () -> {
            String sha = shas.computeIfAbsent(script, RedisStore::sha1);
            try {
                return redis.evalsha(sha, type, keys, args);
            } catch (RedisNoScriptException e) {
                return redis.eval(script, type, keys, args); // loads it for the next time
            }
        });
    }

    private <T> T call(String what, Supplier<T> op) {
        if (closed) throw new StoreException(name, "closed", null);
        try {
            return op.get();
        } catch (RedisCommandTimeoutException e) {
            throw new StoreUnavailableException(name, what + " timed out after " + settings.timeout().toMillis() + " ms", e);
        } catch (RedisCommandExecutionException e) {
            String m = String.valueOf(e.getMessage());
            // the server is there but cannot serve now: loading, a replica, a cluster without quorum
            for (String transient_ : List.of("LOADING", "READONLY", "CLUSTERDOWN", "MASTERDOWN", "TRYAGAIN", "BUSY", "NOREPLICAS")) {
                if (m.startsWith(transient_)) throw new StoreUnavailableException(name, what + ": " + m, e);
            }
            throw new StoreException(name, what + ": " + m, e);
        } catch (RedisConnectionException e) {
            throw new StoreUnavailableException(name, what + ": " + rootMessage(e), e);
        } catch (RedisException e) {
            // "Currently not connected. Commands are rejected.", "Connection closed", interrupted
            throw new StoreUnavailableException(name, what + ": " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            connection.close();
        } catch (RuntimeException e) {
            log.debug("{}: close: {}", name, e.toString());
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return name;
    }

    private final class RedisLists implements ListStore {
        private String listKey(String list) {
            return k("{lists}:" + list.toLowerCase(java.util.Locale.ROOT));
        }

        private String versionKey() {
            return k("{lists}:version");
        }

        private static String member(ListEntry e) {
            return e.kind().key() + "\t" + e.toDomain() + "\t" + e.value();
        }

        @Override
        public boolean add(ListEntry e) {
            Long n = script(LIST_ADD, ScriptOutputType.INTEGER, new String[]{listKey(e.list()), versionKey()}, member(e));
            return n == 1;
        }

        @Override
        public boolean remove(ListEntry e) {
            Long n = script(LIST_REMOVE, ScriptOutputType.INTEGER, new String[]{listKey(e.list()), versionKey()}, member(e));
            return n == 1;
        }

        @Override
        public List<ListEntry> entries(String list) {
            List<ListEntry> out = new ArrayList<>();
            for (String m : call("SMEMBERS", () -> redis.smembers(listKey(list)))) {
                String[] p = m.split("\t", 3);
                if (p.length == 3) out.add(new ListEntry(list, ListEntry.Kind.parse(p[0]), p[1], p[2]));
            }
            out.sort(java.util.Comparator.comparing((ListEntry e) -> e.kind().key()).thenComparing(ListEntry::toDomain)
                    .thenComparing(ListEntry::value));
            return out;
        }

        @Override
        public long version() {
            String v = call("GET", () -> redis.get(versionKey()));
            return v == null ? 0 : Long.parseLong(v);
        }
    }
}
