package org.decency.store.embedded;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.decency.store.ListEntry;
import org.decency.store.ListStore;

/**
 * The {@code list_entries} table. Every change bumps {@code meta.lists_version} in the
 * same transaction, so a running server sees changes another process made.
 */
final class SqliteLists implements ListStore {
    private final Connection c;

    SqliteLists(Connection c) {
        this.c = c;
    }

    Connection connection() {
        return c;
    }

    @Override
    public synchronized boolean add(ListEntry e) {
        return change("INSERT OR IGNORE INTO list_entries(list, kind, to_domain, value, created) VALUES (?,?,?,?,strftime('%s','now'))", e);
    }

    @Override
    public synchronized boolean remove(ListEntry e) {
        return change("DELETE FROM list_entries WHERE list=? AND kind=? AND to_domain=? AND value=?", e);
    }

    private boolean change(String sql, ListEntry e) {
        try {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, e.list());
                ps.setString(2, e.kind().key());
                ps.setString(3, e.toDomain());
                ps.setString(4, e.value());
                int n = ps.executeUpdate();
                if (n > 0) {
                    try (Statement s = c.createStatement()) {
                        s.executeUpdate("UPDATE meta SET value = value + 1 WHERE key = 'lists_version'");
                    }
                }
                c.commit();
                return n > 0;
            } catch (SQLException ex) {
                c.rollback();
                throw ex;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException ex) {
            throw new IllegalStateException("list change failed: " + ex.getMessage(), ex);
        }
    }

    @Override
    public synchronized List<ListEntry> entries(String list) {
        List<ListEntry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT kind, to_domain, value FROM list_entries WHERE list=? ORDER BY kind, to_domain, value")) {
            ps.setString(1, list.toLowerCase(java.util.Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new ListEntry(list, ListEntry.Kind.parse(rs.getString(1)), rs.getString(2), rs.getString(3)));
            }
        } catch (SQLException ex) {
            throw new IllegalStateException("reading list " + list + " failed: " + ex.getMessage(), ex);
        }
        return out;
    }

    @Override
    public synchronized long version() {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key='lists_version'")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException ex) {
            throw new IllegalStateException("reading the lists version failed: " + ex.getMessage(), ex);
        }
    }
}
