package org.decency.store.embedded;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.decency.pipeline.LatencyBuckets;
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

    /** The latency bucket columns b0 .. b20 (see {@code LatencyBuckets}), comma-separated. */
    static final String BUCKET_COLUMNS;

    static {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < LatencyBuckets.COUNT; i++) b.append(i == 0 ? "" : ", ").append('b').append(i);
        BUCKET_COLUMNS = b.toString();
    }

    /** The SQL that turns the old final answers (module * in the response table) into final states. */
    static final String FINAL_STATE_OF_STATUS = "CASE WHEN status = 'OK' THEN 'accept'"
            + " WHEN status IN ('DUNNO', 'PREPEND', 'WARN') THEN 'pass'"
            + " WHEN status = 'REJECT' OR status LIKE '5%' THEN 'reject'"
            + " WHEN status IN ('DEFER', 'DEFER_IF_PERMIT', 'DEFER_IF_REJECT') OR status LIKE '4%' THEN 'defer'"
            + " ELSE lower(status) END";

    static String table(String server, String table) {
        return "stats_" + server.replaceAll("[^a-z0-9_]", "_") + "_" + table;
    }

    /**
     * Sums stats rows into {@code stats_<server>_performance}, {@code stats_<server>_response}
     * and {@code stats_<server>_final_state}.
     */
    static void addStats(Connection c, List<StatsRow> rows, long nowSeconds, Set<String> tablesMade) throws SQLException {
        StringBuilder placeholders = new StringBuilder();
        StringBuilder sums = new StringBuilder();
        for (int i = 0; i < LatencyBuckets.COUNT; i++) {
            placeholders.append(",?");
            sums.append(", b").append(i).append("=b").append(i).append("+excluded.b").append(i);
        }
        for (StatsRow r : rows) {
            if (tablesMade.add(r.server())) createStatsTables(c, r.server());
            switch (r.table()) {
                case StatsRow.PERFORMANCE -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table(r.server(), "performance")
                            + "(module, period, start, calls, score, runtime, last_update, hits, finals, rejects, " + BUCKET_COLUMNS
                            + ") VALUES (?,?,?,?,?,?,?,?,?,?" + placeholders + ")"
                            + " ON CONFLICT(module, period, start) DO UPDATE SET calls=calls+excluded.calls,"
                            + " score=score+excluded.score, runtime=runtime+excluded.runtime, last_update=excluded.last_update,"
                            + " hits=hits+excluded.hits, finals=finals+excluded.finals, rejects=rejects+excluded.rejects" + sums)) {
                        ps.setString(1, r.module());
                        ps.setString(2, r.period());
                        ps.setLong(3, r.start());
                        ps.setLong(4, r.calls());
                        ps.setDouble(5, r.score());
                        ps.setDouble(6, r.runtimeSeconds());
                        ps.setLong(7, nowSeconds);
                        ps.setLong(8, r.hits());
                        ps.setLong(9, r.finals());
                        ps.setLong(10, r.rejects());
                        for (int i = 0; i < LatencyBuckets.COUNT; i++) ps.setLong(11 + i, r.bucket(i));
                        ps.executeUpdate();
                    }
                }
                case StatsRow.RESPONSE -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table(r.server(), "response")
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
                case StatsRow.FINAL_STATE -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table(r.server(), "final_state")
                            + "(period, start, status, amount, last_update) VALUES (?,?,?,?,?)"
                            + " ON CONFLICT(period, start, status) DO UPDATE SET amount=amount+excluded.amount,"
                            + " last_update=excluded.last_update")) {
                        ps.setString(1, r.period());
                        ps.setLong(2, r.start());
                        ps.setString(3, r.status());
                        ps.setLong(4, r.calls());
                        ps.setLong(5, nowSeconds);
                        ps.executeUpdate();
                    }
                }
                default -> throw new IllegalArgumentException("unknown statistics table " + r.table());
            }
        }
    }

    /**
     * Creates a server's statistics tables, and brings those of an older file up to date:
     * the performance table gains hits, final words and the latency buckets; the final
     * answers the response table kept under module {@code *} move to the final state table.
     */
    static void createStatsTables(Connection c, String server) throws SQLException {
        String perf = table(server, "performance");
        String resp = table(server, "response");
        String fin = table(server, "final_state");
        StringBuilder buckets = new StringBuilder();
        for (int i = 0; i < LatencyBuckets.COUNT; i++) buckets.append(", b").append(i).append(" INTEGER NOT NULL DEFAULT 0");
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + perf + " (module TEXT NOT NULL, period TEXT NOT NULL,"
                    + " start INTEGER NOT NULL, calls INTEGER NOT NULL, score REAL NOT NULL, runtime REAL NOT NULL,"
                    + " last_update INTEGER NOT NULL, hits INTEGER NOT NULL DEFAULT 0, finals INTEGER NOT NULL DEFAULT 0,"
                    + " rejects INTEGER NOT NULL DEFAULT 0" + buckets + ", PRIMARY KEY (module, period, start))");
            s.execute("CREATE TABLE IF NOT EXISTS " + resp + " (module TEXT NOT NULL, period TEXT NOT NULL,"
                    + " start INTEGER NOT NULL, status TEXT NOT NULL, calls INTEGER NOT NULL, last_update INTEGER NOT NULL,"
                    + " PRIMARY KEY (module, period, start, status))");
            boolean newFinal = !tableExists(c, fin);
            s.execute("CREATE TABLE IF NOT EXISTS " + fin + " (period TEXT NOT NULL, start INTEGER NOT NULL,"
                    + " status TEXT NOT NULL, amount INTEGER NOT NULL, last_update INTEGER NOT NULL,"
                    + " PRIMARY KEY (period, start, status))");
            Set<String> have = columns(c, perf);
            for (String col : List.of("hits", "finals", "rejects")) {
                if (!have.contains(col)) s.execute("ALTER TABLE " + perf + " ADD COLUMN " + col + " INTEGER NOT NULL DEFAULT 0");
            }
            for (int i = 0; i < LatencyBuckets.COUNT; i++) {
                if (!have.contains("b" + i)) s.execute("ALTER TABLE " + perf + " ADD COLUMN b" + i + " INTEGER NOT NULL DEFAULT 0");
            }
            if (newFinal) {
                s.execute("INSERT INTO " + fin + " (period, start, status, amount, last_update) SELECT period, start, "
                        + FINAL_STATE_OF_STATUS + " AS state, sum(calls), max(last_update) FROM " + resp
                        + " WHERE module = '*' GROUP BY period, start, state");
                s.execute("DELETE FROM " + resp + " WHERE module = '*'");
            }
        }
    }

    private static boolean tableExists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Set<String> columns(Connection c, String table) throws SQLException {
        Set<String> out = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) out.add(rs.getString("name"));
        }
        return out;
    }

    /** The servers that have statistics tables in this file. */
    static List<String> statsServers(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'stats\\_%\\_performance' ESCAPE '\\' ORDER BY name")) {
            while (rs.next()) {
                String n = rs.getString(1);
                out.add(n.substring("stats_".length(), n.length() - "_performance".length()));
            }
        }
        return out;
    }

    /** The rows of {@code period} starting between {@code from} and {@code to} (inclusive); every server when {@code server} is null. */
    static List<StatsRow> readStats(Connection c, String server, String period, long from, long to, Set<String> tablesMade)
            throws SQLException {
        List<StatsRow> out = new ArrayList<>();
        for (String srv : server == null ? statsServers(c) : List.of(server)) {
            if (!tableExists(c, table(srv, "performance"))) continue;
            if (tablesMade.add(srv)) createStatsTables(c, srv); // an older file: brought up to date first
            try (PreparedStatement ps = c.prepareStatement("SELECT module, start, calls, hits, finals, rejects, score, runtime, "
                    + BUCKET_COLUMNS + " FROM " + table(srv, "performance") + " WHERE period = ? AND start BETWEEN ? AND ?")) {
                bind(ps, period, from, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long[] b = new long[LatencyBuckets.COUNT];
                        for (int i = 0; i < b.length; i++) b[i] = rs.getLong(9 + i);
                        out.add(new StatsRow(srv, StatsRow.PERFORMANCE, rs.getString(1), "", period, rs.getLong(2), rs.getLong(3),
                                rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getDouble(7), rs.getDouble(8), b));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT module, status, start, calls FROM " + table(srv, "response")
                    + " WHERE period = ? AND start BETWEEN ? AND ?")) {
                bind(ps, period, from, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StatsRow(srv, StatsRow.RESPONSE, rs.getString(1), rs.getString(2), period, rs.getLong(3),
                                rs.getLong(4), 0, 0));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT status, start, amount FROM " + table(srv, "final_state")
                    + " WHERE period = ? AND start BETWEEN ? AND ?")) {
                bind(ps, period, from, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StatsRow(srv, StatsRow.FINAL_STATE, "", rs.getString(1), period, rs.getLong(2), rs.getLong(3), 0, 0));
                    }
                }
            }
        }
        return out;
    }

    private static void bind(PreparedStatement ps, String period, long from, long to) throws SQLException {
        ps.setString(1, period);
        ps.setLong(2, from);
        ps.setLong(3, to);
    }

    /** Deletes {@code server}'s rows of {@code period} that start before {@code before}; how many rows went. */
    static int pruneStats(Connection c, String server, String period, long before) throws SQLException {
        if (!tableExists(c, table(server, "performance"))) return 0;
        int n = 0;
        for (String t : List.of("performance", "response", "final_state")) {
            if (!tableExists(c, table(server, t))) continue;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table(server, t) + " WHERE period = ? AND start < ?")) {
                ps.setString(1, period);
                ps.setLong(2, before);
                n += ps.executeUpdate();
            }
        }
        return n;
    }
}
