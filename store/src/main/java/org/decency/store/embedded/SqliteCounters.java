package org.decency.store.embedded;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.decency.store.MemoryCounterTable;

/**
 * The counter tables ({@link org.decency.store.Store#counterTable}) in the embedded file:
 * {@code counter_tables} names them, {@code counters} holds one row per counter (table,
 * id, value, expiry), all numbers. Used by the store's writer thread (and at start-up) only.
 */
final class SqliteCounters {
    /** Receives a counter read from the file. */
    interface Loader {
        void load(String table, long id, long value, long expiresAt);
    }

    private final Map<String, Long> tableIds = new HashMap<>();

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS counter_tables (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
            s.execute("CREATE TABLE IF NOT EXISTS counters (tab INTEGER NOT NULL, id INTEGER NOT NULL, value INTEGER NOT NULL,"
                    + " expires_at INTEGER NOT NULL, PRIMARY KEY (tab, id)) WITHOUT ROWID");
        }
    }

    /** Deletes the counters expired at {@code now}, then hands every live one to {@code loader}; returns how many. */
    int load(Connection c, long now, Loader loader) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM counters WHERE expires_at <= ?")) {
            ps.setLong(1, now);
            ps.executeUpdate();
        }
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT t.name, t.id, c.id, c.value, c.expires_at FROM counters c"
                + " JOIN counter_tables t ON t.id = c.tab WHERE c.expires_at > ?")) {
            ps.setLong(1, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tableIds.putIfAbsent(rs.getString(1), rs.getLong(2));
                    loader.load(rs.getString(1), rs.getLong(3), rs.getLong(4), rs.getLong(5));
                    n++;
                }
            }
        }
        return n;
    }

    /** Writes {@code changes} of the table {@code name} (inside the caller's transaction). */
    void write(Connection c, String name, MemoryCounterTable.Changes changes) throws SQLException {
        long tab = tableId(c, name);
        try (PreparedStatement up = c.prepareStatement("INSERT INTO counters(tab, id, value, expires_at) VALUES (?,?,?,?)"
                + " ON CONFLICT(tab, id) DO UPDATE SET value=excluded.value, expires_at=excluded.expires_at");
             PreparedStatement del = c.prepareStatement("DELETE FROM counters WHERE tab=? AND id=?")) {
            for (int i = 0; i < changes.size(); i++) {
                if (changes.expiresAt()[i] == 0) {
                    del.setLong(1, tab);
                    del.setLong(2, changes.ids()[i]);
                    del.addBatch();
                } else {
                    up.setLong(1, tab);
                    up.setLong(2, changes.ids()[i]);
                    up.setLong(3, changes.values()[i]);
                    up.setLong(4, changes.expiresAt()[i]);
                    up.addBatch();
                }
            }
            up.executeBatch();
            del.executeBatch();
        }
    }

    /** After a rolled-back transaction: a table named in it may not be in the file. */
    void rolledBack() {
        tableIds.clear();
    }

    private long tableId(Connection c, String name) throws SQLException {
        Long known = tableIds.get(name);
        if (known != null) return known;
        try (PreparedStatement ins = c.prepareStatement("INSERT OR IGNORE INTO counter_tables(name) VALUES (?)")) {
            ins.setString(1, name);
            ins.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM counter_tables WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                tableIds.put(name, id);
                return id;
            }
        }
    }
}
