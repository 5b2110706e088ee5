package org.decency.store.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.decency.store.CounterTable;
import org.decency.store.InMemoryStore;
import org.decency.store.KeyedCounterTable;
import org.decency.store.MemoryCounterTable;
import org.decency.store.ListStore;
import org.decency.store.StatsRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zero-setup store: everything is answered from memory, and every change is
 * written behind to an SQLite file, so greylist triplets, counters, marks, list
 * entries and statistics survive a restart. Writes are coalesced per key and flushed
 * by one background thread every {@code flushMillis}; a crash loses at most that much.
 * The file can be opened with Debian's sqlite3 (tables {@code kv}, {@code counters} and
 * {@code counter_tables} (the {@link #counterTable}s), {@code list_entries},
 * {@code stats_<server>_performance}, {@code stats_<server>_response},
 * {@code stats_<server>_final_state}). Expired entries are dropped from memory (and then
 * from the file) by {@link #sweepExpired}, which the servers' maintenance calls.
 */
public final class EmbeddedStore extends InMemoryStore {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedStore.class);
    private static final Entry DELETED = new Entry("", 0);

    private final Path file;
    private final Connection writer;
    private final SqliteLists lists;
    private final SqliteCounters counters = new SqliteCounters();
    private final ConcurrentHashMap<String, Entry> pending = new ConcurrentHashMap<>();
    private final List<StatsRow> pendingStats = new ArrayList<>();
    private final java.util.Set<String> statsTablesMade = new java.util.HashSet<>();
    private final ScheduledExecutorService flusher;
    private volatile boolean closed;

    private EmbeddedStore(Path file, Clock clock, Connection writer, Connection admin) {
        super(clock);
        this.file = file;
        this.writer = writer;
        this.lists = new SqliteLists(admin);
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "embedded-store-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens (creating if needed) the database file and loads the live entries into memory. */
    public static EmbeddedStore open(Path file, Clock clock, long flushMillis) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Connection writer = connect(file);
            Connection admin = connect(file);
            Schema.create(writer);
            SqliteCounters.create(writer);
            EmbeddedStore store = new EmbeddedStore(file, clock, writer, admin);
            store.load();
            store.flusher.scheduleWithFixedDelay(store::flushQuietly, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
            return store;
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("cannot open the embedded database " + file + ": " + e.getMessage(), e);
        }
    }

    static Connection connect(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA busy_timeout=5000");
        }
        return c;
    }

    public Path file() {
        return file;
    }

    private void load() throws SQLException {
        try (PreparedStatement ps = writer.prepareStatement("DELETE FROM kv WHERE expires_at <= ?")) {
            ps.setLong(1, now());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = writer.prepareStatement("SELECT key, value, expires_at FROM kv WHERE expires_at > ?")) {
            ps.setLong(1, now());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) map.put(rs.getString(1), new Entry(rs.getString(2), rs.getLong(3)));
            }
        }
        int loaded = counters.load(writer, now(), (table, id, value, expiresAt) ->
                counterTables.computeIfAbsent(table, t -> new MemoryCounterTable(clock, true)).load(id, value, expiresAt));
        log.info("embedded store {}: {} live entries and {} counters loaded", file, map.size(), loaded);
    }

    /**
     * The table {@code name}; a new one is made under the store's lock, so no flush can write
     * the deletion of the counters it takes over from {@code kv} before the table holding
     * them is there to be written too.
     */
    @Override
    public CounterTable counterTable(String name) {
        MemoryCounterTable table = counterTables.get(name);
        if (table != null) return table;
        synchronized (this) {
            return counterTables.computeIfAbsent(name, this::newCounterTable);
        }
    }

    /**
     * A new table, tracking its changes for the file. The counters a file from before the
     * counter tables kept as keys ({@link KeyedCounterTable}: {@code <name><11 characters>})
     * move into it, written to {@code counters} and deleted from {@code kv} in one flush.
     */
    @Override
    protected MemoryCounterTable newCounterTable(String name) {
        MemoryCounterTable table = new MemoryCounterTable(clock, true);
        for (String key : keyedCounters(name)) {
            Long id = KeyedCounterTable.id(name, key);
            Entry e = map.get(key);
            if (id == null || e == null || e.expiresAt() <= now()) continue;
            try {
                table.put(id, Long.parseLong(e.value()), e.expiresAt());
            } catch (NumberFormatException notACounter) {
                continue;
            }
            delete(key);
        }
        return table;
    }

    /** The keys in the file that may be counters of the table {@code name} as keys (its name and 11 characters). */
    private synchronized List<String> keyedCounters(String name) {
        List<String> keys = new ArrayList<>();
        try (PreparedStatement ps = writer.prepareStatement("SELECT key FROM kv WHERE key > ? AND key < ? AND length(key) = ?")) {
            ps.setString(1, name);
            ps.setString(2, name + Character.MAX_VALUE);
            ps.setInt(3, name.length() + KeyedCounterTable.ID_LENGTH);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) keys.add(rs.getString(1));
            }
        } catch (SQLException e) {
            log.error("embedded store {}: reading the counters of {} kept as keys failed: {}", file, name, e.toString());
        }
        return keys;
    }

    @Override
    protected void written(String key, Entry entry) {
        pending.put(key, entry == null ? DELETED : entry);
    }

    @Override
    public ListStore lists() {
        return lists;
    }

    @Override
    public void addStats(List<StatsRow> rows) {
        synchronized (pendingStats) {
            pendingStats.addAll(rows);
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException | SQLException e) {
            log.error("embedded store {}: writing to disk failed (will retry): {}", file, e.toString());
        }
    }

    /** Writes every pending change now. */
    public synchronized void flush() throws SQLException {
        Map<String, MemoryCounterTable.Changes> changedCounters = new java.util.HashMap<>();
        counterTables.forEach((name, table) -> {
            MemoryCounterTable.Changes c = table.drainChanges();
            if (c.size() > 0) changedCounters.put(name, c);
        });
        if (pending.isEmpty() && pendingStats.isEmpty() && changedCounters.isEmpty()) return;
        List<Map.Entry<String, Entry>> batch = new ArrayList<>();
        for (String k : pending.keySet()) {
            Entry e = pending.remove(k);
            if (e != null) batch.add(Map.entry(k, e));
        }
        List<StatsRow> stats;
        synchronized (pendingStats) {
            stats = new ArrayList<>(pendingStats);
            pendingStats.clear();
        }
        writer.setAutoCommit(false);
        try (PreparedStatement up = writer.prepareStatement(
                "INSERT INTO kv(key, value, expires_at) VALUES (?,?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value, expires_at=excluded.expires_at");
             PreparedStatement del = writer.prepareStatement("DELETE FROM kv WHERE key=?")) {
            for (var e : batch) {
                if (e.getValue() == DELETED) {
                    del.setString(1, e.getKey());
                    del.addBatch();
                } else {
                    up.setString(1, e.getKey());
                    up.setString(2, e.getValue().value());
                    up.setLong(3, e.getValue().expiresAt());
                    up.addBatch();
                }
            }
            up.executeBatch();
            del.executeBatch();
            for (var c : changedCounters.entrySet()) counters.write(writer, c.getKey(), c.getValue());
            Schema.addStats(writer, stats, now() / 1000, statsTablesMade);
            writer.commit();
        } catch (SQLException | RuntimeException e) {
            writer.rollback();
            counters.rolledBack();
            changedCounters.forEach((name, c) -> counterTables.get(name).restoreChanges(c.ids()));
            for (var b : batch) pending.putIfAbsent(b.getKey(), b.getValue());
            synchronized (pendingStats) {
                pendingStats.addAll(0, stats);
            }
            throw e;
        } finally {
            writer.setAutoCommit(true);
        }
    }

    /**
     * Drops expired entries from memory (the servers' maintenance does it every minute); the
     * next flush deletes them from the file by key.
     */
    @Override
    public int sweepExpired() {
        return sweep();
    }

    /** Writes what is pending, then reads the rows from the file. */
    @Override
    public synchronized List<StatsRow> readStats(String server, String period, long fromStart, long toStart) {
        try {
            flush();
            return Schema.readStats(writer, server, period, fromStart, toStart, statsTablesMade);
        } catch (SQLException e) {
            throw new IllegalStateException("embedded store " + file + ": reading statistics failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized int pruneStats(String server, String period, long beforeStart) {
        try {
            flush();
            return Schema.pruneStats(writer, server, period, beforeStart);
        } catch (SQLException e) {
            throw new IllegalStateException("embedded store " + file + ": deleting old statistics failed: " + e.getMessage(), e);
        }
    }

    /** Reads a value straight from the file (bypassing memory); for tests and tools. */
    Optional<String> readFromDisk(String key) throws SQLException {
        try (PreparedStatement ps = lists.connection().prepareStatement("SELECT value FROM kv WHERE key=? AND expires_at > ?")) {
            ps.setString(1, key);
            ps.setLong(2, now());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        flusher.shutdown();
        try {
            flusher.awaitTermination(10, TimeUnit.SECONDS);
            flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            log.error("embedded store {}: final write failed: {}", file, e.toString());
        }
        try {
            writer.close();
            lists.connection().close();
        } catch (SQLException e) {
            log.warn("embedded store {}: close failed: {}", file, e.toString());
        }
    }
}
