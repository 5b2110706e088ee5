package org.decency.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import org.decency.store.SharedServers;
import org.decency.store.Store;
import org.decency.store.StoreContract;
import org.decency.testkit.Postgres;

/** The contract on a real PostgreSQL; each test gets a new database, migrated by the store. */
class PostgresStoreContractTest extends StoreContract {
    private PostgresSettings settings;

    @Override
    protected Store open() {
        settings = new PostgresSettings(SharedServers.newPostgresDatabase("contract"), Postgres.USER, null, 20,
                PostgresSettings.DEFAULT_TIMEOUT);
        return PostgresStore.open(settings);
    }

    @Override
    protected Store openAnother(Store first) {
        return PostgresStore.open(settings);
    }

    @Override
    protected Optional<double[]> statsRow(Store store, String server, String table, String module, String status, String period, long start)
            throws Exception {
        return readStats((PostgresStore) store, server, table, module, status, period, start);
    }

    static Optional<double[]> readStats(PostgresStore store, String server, String table, String module, String status, String period,
                                        long start) throws Exception {
        String sql = table.equals("performance")
                ? "SELECT calls, score, runtime FROM stats_performance WHERE server=? AND module=? AND period=? AND start=?"
                : "SELECT calls, 0, 0 FROM stats_response WHERE server=? AND module=? AND period=? AND start=? AND status=?";
        try (Connection c = store.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, server);
            ps.setString(2, module);
            ps.setString(3, period);
            ps.setLong(4, start);
            if (!table.equals("performance")) ps.setString(5, status);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new double[]{rs.getDouble(1), rs.getDouble(2), rs.getDouble(3)}) : Optional.empty();
            }
        }
    }
}
