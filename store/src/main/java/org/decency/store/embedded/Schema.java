package org.decency.store.embedded;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.decency.store.StatsRow;

/** The embedded database's tables, created on first use. */
final class Schema {
    private Schema() {}

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            // One B-tree keyed by the key (WITHOUT ROWID) and no index on expires_at: every
            // write costs one tree update. Expired rows are deleted by key when the in-memory
            // sweep drops them, and in one pass at start-up.
            s.execute("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID");
            s.execute("DROP INDEX IF EXISTS kv_expires");
            s.execute("CREATE TABLE IF NOT EXISTS list_entries (list TEXT NOT NULL, kind TEXT NOT NULL, to_domain TEXT NOT NULL,"
                    + " value TEXT NOT NULL, created INTEGER NOT NULL, PRIMARY KEY (list, kind, to_domain, value))");
            s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
            s.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('lists_version', 0)");
        }
    }

    /** Sums stats rows into {@code stats_<server>_performance} and {@code stats_<server>_response}. */
    static void addStats(Connection c, List<StatsRow> rows, long nowSeconds, Set<String> tablesMade) throws SQLException {
        for (StatsRow r : rows) {
            String server = r.server().replaceAll("[^a-z0-9_]", "_");
            if (tablesMade.add(server)) createStatsTables(c, server);
            if (r.table().equals("performance")) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO stats_" + server + "_performance"
                        + "(module, period, start, calls, score, runtime, last_update) VALUES (?,?,?,?,?,?,?)"
                        + " ON CONFLICT(module, period, start) DO UPDATE SET calls=calls+excluded.calls,"
                        + " score=score+excluded.score, runtime=runtime+excluded.runtime, last_update=excluded.last_update")) {
                    ps.setString(1, r.module());
                    ps.setString(2, r.period());
                    ps.setLong(3, r.start());
                    ps.setLong(4, r.calls());
                    ps.setDouble(5, r.score());
                    ps.setDouble(6, r.runtimeSeconds());
                    ps.setLong(7, nowSeconds);
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO stats_" + server + "_response"
                        + "(module, period, start, status, calls, last_update) VALUES (?,?,?,?,?,?)"
                        + " ON CONFLICT(module, period, start, status) DO UPDATE SET calls=calls+excluded.calls,"
                        + " last_update=excluded.last_update")) {
                    ps.setString(1, r.module());
                    ps.setString(2, r.period());
                    ps.setLong(3, r.start());
                    ps.setString(4, r.status());
                    ps.setLong(5, r.calls());
                    ps.setLong(6, nowSeconds);
                    ps.executeUpdate();
                }
            }
        }
    }

    private static void createStatsTables(Connection c, String server) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS stats_" + server + "_performance (module TEXT NOT NULL, period TEXT NOT NULL,"
                    + " start INTEGER NOT NULL, calls INTEGER NOT NULL, score REAL NOT NULL, runtime REAL NOT NULL,"
                    + " last_update INTEGER NOT NULL, PRIMARY KEY (module, period, start))");
            s.execute("CREATE TABLE IF NOT EXISTS stats_" + server + "_response (module TEXT NOT NULL, period TEXT NOT NULL,"
                    + " start INTEGER NOT NULL, status TEXT NOT NULL, calls INTEGER NOT NULL, last_update INTEGER NOT NULL,"
                    + " PRIMARY KEY (module, period, start, status))");
        }
    }
}
