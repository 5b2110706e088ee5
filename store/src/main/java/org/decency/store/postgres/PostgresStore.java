package org.decency.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.decency.pipeline.LatencyBuckets;
import org.decency.store.ListEntry;
import org.decency.store.ListStore;
import org.decency.store.StatsRow;
import org.decency.store.Store;
import org.decency.store.StoreException;
import org.decency.store.StoreUnavailableException;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store on PostgreSQL: the shared database for many Decency instances on many
 * machines. The schema is versioned (Flyway migrations in
 * {@code org/decency/store/postgres/migration}, history in {@code decency_schema_history})
 * and brought up to date at start-up; instances starting together wait for each other
 * (they take turns on an advisory lock).
 *
 * <p>Every key/value operation is one statement, atomic across instances through the row
 * lock of {@code INSERT ... ON CONFLICT DO UPDATE}: {@link #putIfAbsent} only overwrites an
 * expired row, {@link #increment} adds in place and returns the new value. Expiry is
 * judged by the database's clock ({@code now()}), so instances with skewed clocks agree.
 * Expired rows are invisible at once; {@link #sweepExpired} deletes them in batches
 * ({@code FOR UPDATE SKIP LOCKED}, so two sweeps never wait for each other), called by the
 * servers' maintenance once a minute, by one instance at a time.
 *
 * <p>Each call waits at most about the timeout for a pooled connection and the timeout for
 * its statement ({@code statement_timeout}); an unreachable server, a broken connection or
 * a timeout raise {@link StoreUnavailableException}. HikariCP replaces broken connections,
 * so calls work again as soon as the server is back.
 */
public final class PostgresStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);
    static final String MIGRATIONS = "classpath:org/decency/store/postgres/migration";
    static final String HISTORY_TABLE = "decency_schema_history";
    /** The advisory lock instances take turns on while migrating ("decency" in ASCII). */
    static final long MIGRATION_LOCK = 0x646563656e6379L;
    private static final String TTL = "now() + (?::double precision * interval '1 millisecond')";

    private final PostgresSettings settings;
    private final String name;
    private final HikariDataSource ds;
    private final PgLists lists = new PgLists();
    private volatile boolean closed;

    private PostgresStore(PostgresSettings settings, HikariDataSource ds) {
        this.settings = settings;
        this.name = settings.describe();
        this.ds = ds;
    }

    /**
     * Connects and migrates the schema to the newest version.
     *
     * @throws StoreUnavailableException when the server cannot be reached within the timeout
     * @throws StoreException            when the migration fails
     */
    public static PostgresStore open(PostgresSettings s) {
        long t = Math.max(250, s.timeout().toMillis());
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("decency-postgres");
        hc.setJdbcUrl(s.url());
        if (s.user() != null) hc.setUsername(s.user());
        if (s.password() != null) hc.setPassword(s.password());
        hc.setMaximumPoolSize(s.poolSize());
        hc.setMinimumIdle(Math.min(2, s.poolSize()));
        hc.setConnectionTimeout(t);
        hc.setValidationTimeout(t);
        hc.setInitializationFailTimeout(t);
        int seconds = (int) Math.max(1, (t + 999) / 1000);
        hc.addDataSourceProperty("connectTimeout", Integer.toString(seconds));
        hc.addDataSourceProperty("socketTimeout", Integer.toString(seconds + 1)); // a hung server: the statement_timeout never comes
        hc.addDataSourceProperty("tcpKeepAlive", "true");
        hc.addDataSourceProperty("ApplicationName", "decency");
        hc.addDataSourceProperty("options", "-c statement_timeout=" + t + " -c lock_timeout=" + t);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException(s.describe(), "cannot connect: " + rootMessage(e), e);
        }
        try {
            migrate(s, seconds);
        } catch (SQLException | RuntimeException e) {
            ds.close();
            throw new StoreException(s.describe(), "schema migration failed: " + rootMessage(e), e);
        }
        return new PostgresStore(s, ds);
    }

    /**
     * Brings the schema to the newest version. Instances starting together take turns on an
     * advisory lock (Flyway's own lock does not cover its baseline of a database that holds
     * other tables), and migrations run without the per-call timeouts.
     */
    private static void migrate(PostgresSettings s, int connectSeconds) throws SQLException {
        java.util.Properties p = new java.util.Properties();
        if (s.user() != null) p.setProperty("user", s.user());
        if (s.password() != null) p.setProperty("password", s.password());
        p.setProperty("connectTimeout", Integer.toString(connectSeconds));
        p.setProperty("ApplicationName", "decency-migrate");
        try (Connection lock = new org.postgresql.Driver().connect(s.url(), p);
             java.sql.Statement st = lock.createStatement()) {
            st.execute("SET lock_timeout = '5min'");
            st.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
            var result = Flyway.configure(PostgresStore.class.getClassLoader())
                    .dataSource(s.url(), s.user(), s.password())
                    .locations(MIGRATIONS)
                    .table(HISTORY_TABLE)
                    .baselineOnMigrate(true).baselineVersion("0") // a database with other tables in it
                    .load()
                    .migrate();
            log.info("{}: schema at version {}{}", s.describe(),
                    result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                    result.migrationsExecuted > 0 ? " (" + result.migrationsExecuted + " migrations applied)" : "");
        } // closing the session releases the lock
    }

    public PostgresSettings settings() {
        return settings;
    }

    /** The pool, for tools (and tests) that read the tables directly. */
    public DataSource dataSource() {
        return ds;
    }

    @Override
    public boolean remote() {
        return true;
    }

    @Override
    public Optional<String> get(String key) {
        return sql("get", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM kv WHERE key = ? AND expires_at > now()")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** One query for all of them (a check's several keys, a classifier's tokens). */
    @Override
    public java.util.Map<String, String> getAll(java.util.Collection<String> keys) {
        if (keys.isEmpty()) return java.util.Map.of();
        return sql("get_all", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT key, value FROM kv WHERE key = ANY(?) AND expires_at > now()")) {
                ps.setArray(1, c.createArrayOf("text", keys.toArray()));
                java.util.Map<String, String> out = new java.util.HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.put(rs.getString(1), rs.getString(2));
                }
                return out;
            }
        });
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        sql("put", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO kv AS t (key, value, expires_at) VALUES (?, ?, " + TTL + ")"
                    + " ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at")) {
                ps.setString(1, key);
                ps.setString(2, value);
                ps.setLong(3, ttl.toMillis());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean putIfAbsent(String key, String value, Duration ttl) {
        return sql("putIfAbsent", c -> {
            // the row lock of ON CONFLICT serializes racing inserts; the loser sees the live row and changes nothing
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO kv AS t (key, value, expires_at) VALUES (?, ?, " + TTL + ")"
                    + " ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at"
                    + " WHERE t.expires_at <= now()")) {
                ps.setString(1, key);
                ps.setString(2, value);
                ps.setLong(3, ttl.toMillis());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean delete(String key) {
        return sql("delete", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM kv WHERE key = ? RETURNING expires_at > now()")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        });
    }

    @Override
    public long increment(String key, long delta, Duration ttl) {
        return sql("increment", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO kv AS t (key, value, expires_at) VALUES (?, ?, " + TTL + ")"
                    + " ON CONFLICT (key) DO UPDATE SET"
                    + " value = CASE WHEN t.expires_at <= now() THEN excluded.value"
                    + "   ELSE ((CASE WHEN t.value ~ '^-?[0-9]{1,18}$' THEN t.value::bigint ELSE 0 END) + ?)::text END,"
                    + " expires_at = CASE WHEN t.expires_at <= now() THEN excluded.expires_at ELSE t.expires_at END"
                    + " RETURNING value")) {
                ps.setString(1, key);
                ps.setString(2, Long.toString(delta));
                ps.setLong(3, ttl.toMillis());
                ps.setLong(4, delta);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return Long.parseLong(rs.getString(1));
                }
            }
        });
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        return sql("expire", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE kv SET expires_at = " + TTL + " WHERE key = ? AND expires_at > now()")) {
                ps.setLong(1, ttl.toMillis());
                ps.setString(2, key);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public ListStore lists() {
        return lists;
    }

    private static final String BUCKETS;
    private static final String BUCKET_PARAMS;
    private static final String BUCKET_SUMS;

    static {
        StringBuilder cols = new StringBuilder(), params = new StringBuilder(), sums = new StringBuilder();
        for (int i = 0; i < LatencyBuckets.COUNT; i++) {
            cols.append(", b").append(i);
            params.append(",?");
            sums.append(", b").append(i).append(" = t.b").append(i).append(" + excluded.b").append(i);
        }
        BUCKETS = cols.toString();
        BUCKET_PARAMS = params.toString();
        BUCKET_SUMS = sums.toString();
    }

    @Override
    public void addStats(List<StatsRow> rows) {
        if (rows.isEmpty()) return;
        // one order for every instance, so two flushes touching the same rows cannot deadlock
        List<StatsRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(StatsRow::table).thenComparing(StatsRow::server).thenComparing(StatsRow::module)
                .thenComparing(StatsRow::period).thenComparingLong(StatsRow::start).thenComparing(StatsRow::status));
        long now = System.currentTimeMillis() / 1000;
        sql("addStats", c -> transaction(c, () -> {
            try (PreparedStatement perf = c.prepareStatement("INSERT INTO stats_performance AS t"
                    + " (server, module, period, start, calls, score, runtime, last_update, hits, finals, rejects" + BUCKETS
                    + ") VALUES (?,?,?,?,?,?,?,?,?,?,?" + BUCKET_PARAMS + ")"
                    + " ON CONFLICT (server, module, period, start) DO UPDATE SET calls = t.calls + excluded.calls,"
                    + " score = t.score + excluded.score, runtime = t.runtime + excluded.runtime, last_update = excluded.last_update,"
                    + " hits = t.hits + excluded.hits, finals = t.finals + excluded.finals, rejects = t.rejects + excluded.rejects"
                    + BUCKET_SUMS);
                 PreparedStatement resp = c.prepareStatement("INSERT INTO stats_response AS t"
                    + " (server, module, period, start, status, calls, last_update) VALUES (?,?,?,?,?,?,?)"
                    + " ON CONFLICT (server, module, period, start, status) DO UPDATE SET calls = t.calls + excluded.calls,"
                    + " last_update = excluded.last_update");
                 PreparedStatement fin = c.prepareStatement("INSERT INTO stats_final_state AS t"
                    + " (server, period, start, status, amount, last_update) VALUES (?,?,?,?,?,?)"
                    + " ON CONFLICT (server, period, start, status) DO UPDATE SET amount = t.amount + excluded.amount,"
                    + " last_update = excluded.last_update")) {
                int nPerf = 0, nResp = 0, nFin = 0;
                for (StatsRow r : sorted) {
                    switch (r.table()) {
                        case StatsRow.PERFORMANCE -> {
                            perf.setString(1, r.server());
                            perf.setString(2, r.module());
                            perf.setString(3, r.period());
                            perf.setLong(4, r.start());
                            perf.setLong(5, r.calls());
                            perf.setDouble(6, r.score());
                            perf.setDouble(7, r.runtimeSeconds());
                            perf.setLong(8, now);
                            perf.setLong(9, r.hits());
                            perf.setLong(10, r.finals());
                            perf.setLong(11, r.rejects());
                            for (int i = 0; i < LatencyBuckets.COUNT; i++) perf.setLong(12 + i, r.bucket(i));
                            perf.addBatch();
                            nPerf++;
                        }
                        case StatsRow.RESPONSE -> {
                            resp.setString(1, r.server());
                            resp.setString(2, r.module());
                            resp.setString(3, r.period());
                            resp.setLong(4, r.start());
                            resp.setString(5, r.status());
                            resp.setLong(6, r.calls());
                            resp.setLong(7, now);
                            resp.addBatch();
                            nResp++;
                        }
                        case StatsRow.FINAL_STATE -> {
                            fin.setString(1, r.server());
                            fin.setString(2, r.period());
                            fin.setLong(3, r.start());
                            fin.setString(4, r.status());
                            fin.setLong(5, r.calls());
                            fin.setLong(6, now);
                            fin.addBatch();
                            nFin++;
                        }
                        default -> throw new IllegalArgumentException("unknown statistics table " + r.table());
                    }
                }
                if (nPerf > 0) perf.executeBatch();
                if (nResp > 0) resp.executeBatch();
                if (nFin > 0) fin.executeBatch();
                return null;
            }
        }));
    }

    @Override
    public List<StatsRow> readStats(String server, String period, long fromStart, long toStart) {
        String who = server == null ? "" : " AND server = ?";
        return sql("readStats", c -> {
            List<StatsRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT server, module, start, calls, hits, finals, rejects, score, runtime"
                    + BUCKETS + " FROM stats_performance WHERE period = ? AND start BETWEEN ? AND ?" + who)) {
                bindRange(ps, server, period, fromStart, toStart);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long[] b = new long[LatencyBuckets.COUNT];
                        for (int i = 0; i < b.length; i++) b[i] = rs.getLong(10 + i);
                        out.add(new StatsRow(rs.getString(1), StatsRow.PERFORMANCE, rs.getString(2), "", period, rs.getLong(3),
                                rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getDouble(8), rs.getDouble(9), b));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT server, module, status, start, calls FROM stats_response"
                    + " WHERE period = ? AND start BETWEEN ? AND ?" + who)) {
                bindRange(ps, server, period, fromStart, toStart);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StatsRow(rs.getString(1), StatsRow.RESPONSE, rs.getString(2), rs.getString(3), period,
                                rs.getLong(4), rs.getLong(5), 0, 0));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT server, status, start, amount FROM stats_final_state"
                    + " WHERE period = ? AND start BETWEEN ? AND ?" + who)) {
                bindRange(ps, server, period, fromStart, toStart);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StatsRow(rs.getString(1), StatsRow.FINAL_STATE, "", rs.getString(2), period, rs.getLong(3),
                                rs.getLong(4), 0, 0));
                    }
                }
            }
            return out;
        });
    }

    private static void bindRange(PreparedStatement ps, String server, String period, long from, long to) throws SQLException {
        ps.setString(1, period);
        ps.setLong(2, from);
        ps.setLong(3, to);
        if (server != null) ps.setString(4, server);
    }

    @Override
    public int pruneStats(String server, String period, long beforeStart) {
        return sql("pruneStats", c -> transaction(c, () -> {
            int n = 0;
            for (String table : List.of("stats_performance", "stats_response", "stats_final_state")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE server = ? AND period = ? AND start < ?")) {
                    ps.setString(1, server);
                    ps.setString(2, period);
                    ps.setLong(3, beforeStart);
                    n += ps.executeUpdate();
                }
            }
            return n;
        }));
    }

    /**
     * Deletes every expired key/value row, in batches of 5000 so no statement runs long;
     * stops after 30 seconds (the next sweep goes on).
     */
    @Override
    public int sweepExpired() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        int total = 0, n;
        do {
            n = sweep(5000);
            total += n;
        } while (n == 5000 && !closed && System.nanoTime() < deadline);
        return total;
    }

    /** Deletes expired key/value rows (up to {@code limit}); returns how many. */
    public int sweep(int limit) {
        return sql("sweep", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM kv WHERE ctid = ANY(ARRAY("
                    + "SELECT ctid FROM kv WHERE expires_at <= now() LIMIT ? FOR UPDATE SKIP LOCKED))")) {
                ps.setInt(1, limit);
                return ps.executeUpdate();
            }
        });
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface SqlBlock<T> {
        T run() throws SQLException;
    }

    private static <T> T transaction(Connection c, SqlBlock<T> block) throws SQLException {
        c.setAutoCommit(false);
        try {
            T t = block.run();
            c.commit();
            return t;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is gone; the pool drops it
            }
            throw e;
        }
    }

    private <T> T sql(String what, SqlWork<T> work) {
        if (closed) throw new StoreException(name, "closed", null);
        try (Connection c = ds.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw translate(what, e);
        }
    }

    private StoreException translate(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if ("57014".equals(state)) {
            return new StoreUnavailableException(name, what + " timed out after " + settings.timeout().toMillis() + " ms", e);
        }
        boolean unavailable = e instanceof SQLTransientException || e instanceof SQLRecoverableException
                || e instanceof SQLNonTransientConnectionException
                || state.startsWith("08")   // connection exceptions
                || state.startsWith("53")   // insufficient resources (too many connections, disk full)
                || state.startsWith("57")   // operator intervention: shutdown, cannot connect now
                || state.equals("40001") || state.equals("40P01") || state.equals("55P03"); // serialization, deadlock, lock timeout
        return unavailable
                ? new StoreUnavailableException(name, what + ": " + rootMessage(e), e)
                : new StoreException(name, what + ": " + e.getMessage() + " [" + state + "]", e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        ds.close();
    }

    @Override
    public String toString() {
        return name;
    }

    /** {@code list_entries}; every change bumps {@code meta.lists_version} in the same transaction. */
    private final class PgLists implements ListStore {
        @Override
        public boolean add(ListEntry e) {
            return change("INSERT INTO list_entries (list, kind, to_domain, value) VALUES (?,?,?,?) ON CONFLICT DO NOTHING", e);
        }

        @Override
        public boolean remove(ListEntry e) {
            return change("DELETE FROM list_entries WHERE list = ? AND kind = ? AND to_domain = ? AND value = ?", e);
        }

        private boolean change(String statement, ListEntry e) {
            return sql("list change", c -> transaction(c, () -> {
                int n;
                try (PreparedStatement ps = c.prepareStatement(statement)) {
                    ps.setString(1, e.list());
                    ps.setString(2, e.kind().key());
                    ps.setString(3, e.toDomain());
                    ps.setString(4, e.value());
                    n = ps.executeUpdate();
                }
                if (n > 0) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE meta SET value = value + 1 WHERE key = 'lists_version'")) {
                        ps.executeUpdate();
                    }
                }
                return n > 0;
            }));
        }

        @Override
        public List<ListEntry> entries(String list) {
            return sql("list read", c -> {
                List<ListEntry> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT kind, to_domain, value FROM list_entries WHERE list = ? ORDER BY kind, to_domain, value")) {
                    ps.setString(1, list.toLowerCase(Locale.ROOT));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) out.add(new ListEntry(list, ListEntry.Kind.parse(rs.getString(1)), rs.getString(2), rs.getString(3)));
                    }
                }
                return out;
            });
        }

        @Override
        public long version() {
            return sql("lists version", c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key = 'lists_version'");
                     ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            });
        }
    }
}
