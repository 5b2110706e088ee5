package org.decency.store.embedded;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.decency.core.ManualClock;
import org.decency.store.Store;
import org.decency.store.StoreContract;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the embedded store (memory plus SQLite file), with a manual clock; statistics read from the file. */
class EmbeddedStoreContractTest extends StoreContract {
    @TempDir Path dir;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T10:00:00Z"));

    @Override
    protected Store open() {
        return EmbeddedStore.open(dir.resolve("decency.db"), clock, 50);
    }

    @Override
    protected void pass(Duration d) {
        clock.advance(d);
    }

    @Override
    protected void flushStats(Store s) throws Exception {
        ((EmbeddedStore) s).flush();
    }

    @Override
    protected Optional<double[]> statsRow(Store store, String server, String table, String module, String status, String period, long start)
            throws Exception {
        String sql = table.equals("performance")
                ? "SELECT calls, score, runtime FROM stats_" + server + "_performance WHERE module=? AND period=? AND start=?"
                : "SELECT calls, 0, 0 FROM stats_" + server + "_response WHERE module=? AND period=? AND start=? AND status=?";
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("decency.db"));
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, module);
            ps.setString(2, period);
            ps.setLong(3, start);
            if (!table.equals("performance")) ps.setString(4, status);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new double[]{rs.getDouble(1), rs.getDouble(2), rs.getDouble(3)}) : Optional.empty();
            }
        }
    }
}
