package org.decency.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.decency.config.ConfigNode;
import org.decency.store.ListStore;
import org.decency.store.Store;
import org.decency.store.embedded.EmbeddedLists;
import org.decency.store.embedded.EmbeddedStore;
import org.decency.store.postgres.PostgresSettings;
import org.decency.store.postgres.PostgresStore;
import org.decency.store.redis.RedisSettings;
import org.decency.store.redis.RedisSettings.HostPort;
import org.decency.store.redis.RedisStore;
import org.decency.store.split.SplitStore;

/**
 * Reads {@code cache:} and {@code database:} and opens the store, as the seeds split them:
 * the cache keeps the key/value state and counters (greylist, throttle, honeypot marks,
 * AWL, Doorman scores, result caches), the database keeps the lists and statistics, and
 * the key/value state too when there is no cache.
 * <ul>
 * <li>{@code cache:} {@code class: none} (the default; the seeds' File, FastMmap, Memcached
 * and Memory load with a warning) or {@code class: redis} with {@code host}, {@code port},
 * {@code username}, {@code password}, {@code database}, {@code timeout}, {@code prefix},
 * and either {@code sentinel: {master, nodes, password}} or {@code cluster: [host:port, ...]};</li>
 * <li>{@code database:} {@code type: embedded} (the default: memory plus an SQLite file,
 * alias {@code sqlite}), {@code type: postgres} with {@code url} or {@code host}/{@code port}/
 * {@code name}, {@code user}, {@code password}, {@code pool_size}, {@code timeout},
 * {@code type: redis} (lists and statistics in the cache's Redis too: no database server), or
 * the seeds' {@code type: DBD} with {@code args: [dsn, user, pass]} for
 * {@code dbi:SQLite:dbname=FILE} and {@code dbi:Pg:dbname=NAME;host=HOST;port=PORT}.</li>
 * </ul>
 *
 * @param path          the embedded database file (used when neither PostgreSQL nor {@code type: redis} is set)
 * @param flushInterval how often the embedded store writes changes to the file
 * @param redis         the cache on Redis, or null
 * @param postgres      the database on PostgreSQL, or null
 * @param databaseInCache lists and statistics in the cache's Redis ({@code database: {type: redis}})
 */
record StoreConfig(Path path, Duration flushInterval, RedisSettings redis, PostgresSettings postgres, boolean databaseInCache,
                   List<String> warnings) {

    static final String DEFAULT_FILE = "var/decency.db";

    static StoreConfig read(ConfigNode root) {
        List<String> warnings = new ArrayList<>();
        RedisSettings redis = root.child("cache").map(c -> readCache(c, warnings)).orElse(null);
        ConfigNode db = root.child("database").orElse(null);
        if (db == null) return new StoreConfig(Path.of(DEFAULT_FILE), Duration.ofMillis(200), redis, null, false, warnings);
        String type = db.string("type", "embedded").toLowerCase(Locale.ROOT);
        Path path = Path.of(DEFAULT_FILE);
        PostgresSettings postgres = null;
        boolean inCache = false;
        switch (type) {
            case "embedded", "sqlite" -> path = db.dir().resolve(db.string("path", DEFAULT_FILE));
            case "postgres", "postgresql", "pg" -> postgres = readPostgres(db, null, null, null);
            case "redis" -> {
                if (redis == null) throw db.required("type").error("type redis keeps lists and statistics in the cache's Redis: set cache.class redis");
                inCache = true;
            }
            case "dbd" -> {
                List<String> args = db.strings("args");
                String dsn = args.isEmpty() ? "" : args.getFirst();
                String lower = dsn.toLowerCase(Locale.ROOT);
                if (lower.startsWith("dbi:sqlite:")) {
                    String file = dsn.substring("dbi:sqlite:".length()).replaceFirst("(?i)^dbname=", "");
                    path = db.dir().resolve(file);
                } else if (lower.startsWith("dbi:pg:")) {
                    String url;
                    try {
                        url = PostgresSettings.urlFromDbi(dsn);
                    } catch (IllegalArgumentException e) {
                        throw db.required("args").error(e.getMessage());
                    }
                    postgres = readPostgres(db, url, args.size() > 1 ? args.get(1) : null, args.size() > 2 ? args.get(2) : null);
                } else {
                    throw db.required("args").error("expected an SQLite (dbi:SQLite:dbname=FILE) or PostgreSQL"
                            + " (dbi:Pg:dbname=NAME;host=HOST) data source, got \"" + dsn + "\"");
                }
            }
            default -> throw db.required("type").error("expected embedded (or sqlite), postgres, redis, or the seeds' DBD, got \"" + type + "\"");
        }
        Duration flush = db.duration("flush_interval", Duration.ofMillis(200));
        if (flush.isZero()) throw db.required("flush_interval").error("must be more than 0");
        db.finish();
        return new StoreConfig(path, flush, redis, postgres, inCache, warnings);
    }

    private static RedisSettings readCache(ConfigNode c, List<String> warnings) {
        String cls = c.string("class", "none");
        if (!cls.equalsIgnoreCase("redis")) {
            for (String k : List.of("cache_root", "share_file", "expire_time", "cache_size", "unlink_on_exit", "empty_on_exit", "servers")) c.has(k);
            c.finish();
            if (!cls.equalsIgnoreCase("none")) {
                warnings.add(c.file() + ":" + c.line() + ": cache.class " + cls + " is not needed: the store keeps its own in-memory cache"
                        + " (for a cache shared by many instances: class redis)");
            }
            return null;
        }
        Duration timeout = c.duration("timeout", RedisSettings.DEFAULT_TIMEOUT);
        if (timeout.isZero()) throw c.required("timeout").error("must be more than 0");
        String host = c.string("host", "127.0.0.1");
        int port = port(c, "port", RedisSettings.DEFAULT_PORT);
        String username = c.string("username", null);
        String password = c.string("password", null);
        int database = c.integer("database", 0);
        if (database < 0) throw c.required("database").error("must be 0 or more");
        String prefix = c.string("prefix", RedisSettings.DEFAULT_PREFIX);
        String master = null;
        List<HostPort> sentinels = List.of();
        String sentinelPassword = null;
        ConfigNode sentinel = c.child("sentinel").orElse(null);
        if (sentinel != null) {
            master = sentinel.requiredString("master");
            sentinels = addresses(sentinel, "nodes", RedisSettings.DEFAULT_SENTINEL_PORT);
            sentinelPassword = sentinel.string("password", null);
            sentinel.finish();
        }
        List<HostPort> cluster = c.has("cluster") ? addresses(c, "cluster", RedisSettings.DEFAULT_PORT) : List.of();
        c.finish();
        if (sentinel != null && !cluster.isEmpty()) throw c.required("cluster").error("sentinel and cluster exclude each other");
        if (!cluster.isEmpty() && database != 0) throw c.required("database").error("a Redis cluster has only database 0");
        return new RedisSettings(host, port, username, password, database, master, sentinels, sentinelPassword, cluster, timeout, prefix);
    }

    private static List<HostPort> addresses(ConfigNode parent, String key, int defaultPort) {
        ConfigNode node = parent.required(key);
        List<String> raw = node.asStrings();
        if (raw.isEmpty()) throw node.error("needs at least one host:port");
        List<HostPort> out = new ArrayList<>();
        for (String s : raw) {
            try {
                out.add(HostPort.parse(s, defaultPort));
            } catch (IllegalArgumentException e) {
                throw node.error(e.getMessage());
            }
        }
        return out;
    }

    private static PostgresSettings readPostgres(ConfigNode db, String dbiUrl, String dbiUser, String dbiPassword) {
        String url = dbiUrl;
        if (url == null) {
            url = db.string("url", null);
            if (url != null && !url.startsWith("jdbc:postgresql:")) throw db.required("url").error("expected jdbc:postgresql://HOST:PORT/NAME");
            if (url == null) {
                String name = db.child("name", "dbname").map(ConfigNode::text).orElse("decency");
                url = PostgresSettings.url(db.string("host", "127.0.0.1"), port(db, "port", 5432), name);
            } else if (db.has("host") || db.has("port") || db.has("name") || db.has("dbname")) {
                throw db.required("url").error("give either url or host/port/name, not both");
            }
        }
        String user = db.string("user", dbiUser);
        String password = db.string("password", dbiPassword);
        int pool = db.integer("pool_size", PostgresSettings.DEFAULT_POOL_SIZE);
        if (pool < 1) throw db.required("pool_size").error("must be at least 1");
        Duration timeout = db.duration("timeout", PostgresSettings.DEFAULT_TIMEOUT);
        if (timeout.isZero()) throw db.required("timeout").error("must be more than 0");
        return new PostgresSettings(url, user, password, pool, timeout);
    }

    private static int port(ConfigNode c, String key, int def) {
        int p = c.integer(key, def);
        if (p < 1 || p > 65535) throw c.required(key).error("expected a port, 1 to 65535");
        return p;
    }

    /**
     * Opens the configured store: one backend, or the cache and the database together
     * ({@link SplitStore}). The shared backends must be reachable now.
     */
    Store open(Clock clock) {
        Store cache = null;
        try {
            if (redis != null) cache = RedisStore.open(redis);
            Store database = postgres != null ? PostgresStore.open(postgres)
                    : databaseInCache ? null
                    : EmbeddedStore.open(path, clock, flushInterval.toMillis());
            if (cache == null) return database;
            if (database == null) return cache;
            return new SplitStore(cache, database);
        } catch (RuntimeException e) {
            if (cache != null) cache.close();
            throw e;
        }
    }

    /** What names the backend: servers with the same identity share one open store. */
    String identity() {
        String db = postgres != null ? postgres.url() : databaseInCache ? "in cache" : path.toAbsolutePath().normalize().toString();
        return (redis != null ? redis.describe() + " " + redis.prefix() : "no cache") + " | " + db;
    }

    /** Names where the key/value state lives, for the lease of its expiry sweep (a file: on this machine). */
    String kvScope() {
        if (redis != null) return "redis " + redis.describe() + " " + redis.prefix();
        if (postgres != null) return postgres.url();
        return "file " + ServerServices.host() + ":" + path.toAbsolutePath().normalize();
    }

    /** Names where lists and statistics live, for the lease of the statistics' retention. */
    String databaseScope() {
        if (postgres != null) return postgres.url();
        if (databaseInCache) return "redis " + redis.describe() + " " + redis.prefix();
        return "file " + ServerServices.host() + ":" + path.toAbsolutePath().normalize();
    }

    /** Just the lists (for {@code decency list}), from wherever the database keeps them. */
    Lists openLists() {
        if (postgres != null) {
            PostgresStore s = PostgresStore.open(postgres);
            return new Lists(s.lists(), s);
        }
        if (databaseInCache) {
            RedisStore s = RedisStore.open(redis);
            return new Lists(s.lists(), s);
        }
        EmbeddedLists l = EmbeddedLists.open(path);
        return new Lists(l, l);
    }

    /** Reads statistics rows, as {@link Store#readStats}. */
    @FunctionalInterface
    interface StatsReader {
        List<org.decency.store.StatsRow> read(String server, String period, long fromStart, long toStart);
    }

    /** Just the statistics (for {@code decency stats}), from wherever the database keeps them, without loading the store. */
    Stats openStats() {
        if (postgres != null) {
            PostgresStore s = PostgresStore.open(postgres);
            return new Stats(s::readStats, s, postgres.describe());
        }
        if (databaseInCache) {
            RedisStore s = RedisStore.open(redis);
            return new Stats(s::readStats, s, redis.describe());
        }
        org.decency.store.embedded.EmbeddedStats s = org.decency.store.embedded.EmbeddedStats.open(path);
        return new Stats(s::readStats, s, path.toString());
    }

    record Stats(StatsReader reader, AutoCloseable owner, String where) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            owner.close();
        }
    }

    record Lists(ListStore lists, AutoCloseable owner) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            owner.close();
        }
    }
}
