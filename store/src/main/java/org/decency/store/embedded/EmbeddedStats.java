package org.decency.store.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.decency.store.StatsRow;

/**
 * Just the statistics tables of an embedded database, for {@code decency stats}: reads
 * them without loading the store into memory. Safe beside a running server (it sees what
 * the server has written, at most {@code flush_interval} behind).
 */
public final class EmbeddedStats implements AutoCloseable {
    private final Path file;
    private final Connection c;
    private final Set<String> upToDate = new HashSet<>();

    private EmbeddedStats(Path file, Connection c) {
        this.file = file;
        this.c = c;
    }

    /** Opens an existing database file; a missing one is an error (there is nothing to read). */
    public static EmbeddedStats open(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalStateException("no embedded database at " + file.toAbsolutePath());
        try {
            return new EmbeddedStats(file, EmbeddedStore.connect(file));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the embedded database " + file + ": " + e.getMessage(), e);
        }
    }

    /** See {@link org.decency.store.Store#readStats}. */
    public List<StatsRow> readStats(String server, String period, long fromStart, long toStart) {
        try {
            return Schema.readStats(c, server, period, fromStart, toStart, upToDate);
        } catch (SQLException e) {
            throw new IllegalStateException("embedded database " + file + ": reading statistics failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            c.close();
        } catch (SQLException e) {
            // read only: nothing lost
        }
    }
}
