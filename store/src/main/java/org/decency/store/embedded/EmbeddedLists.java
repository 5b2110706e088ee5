package org.decency.store.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.decency.store.ListEntry;
import org.decency.store.ListStore;

/**
 * Just the list tables of an embedded database, for tools such as {@code decency list}
 * that must not load the whole store into memory. Safe beside a running server.
 */
public final class EmbeddedLists implements ListStore, AutoCloseable {
    private final SqliteLists lists;

    private EmbeddedLists(SqliteLists lists) {
        this.lists = lists;
    }

    public static EmbeddedLists open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            var c = EmbeddedStore.connect(file);
            Schema.create(c);
            return new EmbeddedLists(new SqliteLists(c));
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("cannot open the embedded database " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean add(ListEntry entry) {
        return lists.add(entry);
    }

    @Override
    public boolean remove(ListEntry entry) {
        return lists.remove(entry);
    }

    @Override
    public List<ListEntry> entries(String list) {
        return lists.entries(list);
    }

    @Override
    public long version() {
        return lists.version();
    }

    @Override
    public void close() {
        try {
            lists.connection().close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
