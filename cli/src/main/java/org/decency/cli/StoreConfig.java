package org.decency.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.decency.config.ConfigNode;
import org.decency.store.Store;
import org.decency.store.embedded.EmbeddedStore;

/**
 * Reads {@code database:} and opens the store. Today: the embedded store (memory plus
 * an SQLite file). The seeds' form {@code type: DBD, args: ["dbi:SQLite:dbname=FILE"]}
 * is understood too. The seeds' {@code cache:} section is accepted: the embedded
 * store's in-memory map is the cache.
 *
 * @param path          the database file
 * @param flushInterval how often changes are written to the file
 */
record StoreConfig(Path path, Duration flushInterval, List<String> warnings) {

    static final String DEFAULT_FILE = "var/decency.db";

    static StoreConfig read(ConfigNode root) {
        List<String> warnings = new java.util.ArrayList<>();
        root.child("cache").ifPresent(c -> {
            String cls = c.string("class", "none");
            for (String k : List.of("cache_root", "share_file", "expire_time", "cache_size", "unlink_on_exit", "empty_on_exit", "servers")) c.has(k);
            c.finish();
            if (!cls.equalsIgnoreCase("none")) {
                warnings.add(c.file() + ":" + c.line() + ": cache.class " + cls + " is not needed: the store keeps its own in-memory cache");
            }
        });
        ConfigNode db = root.child("database").orElse(null);
        if (db == null) return new StoreConfig(Path.of(DEFAULT_FILE), Duration.ofMillis(200), warnings);
        String type = db.string("type", "embedded").toLowerCase(Locale.ROOT);
        Path path;
        switch (type) {
            case "embedded", "sqlite" -> path = db.dir().resolve(db.string("path", DEFAULT_FILE));
            case "dbd" -> {
                List<String> args = db.strings("args");
                String dsn = args.isEmpty() ? "" : args.getFirst();
                if (!dsn.toLowerCase(Locale.ROOT).startsWith("dbi:sqlite:")) {
                    throw db.required("args").error("only the SQLite DSN (dbi:SQLite:dbname=FILE) is supported so far, got \"" + dsn + "\"");
                }
                String file = dsn.substring("dbi:sqlite:".length()).replaceFirst("(?i)^dbname=", "");
                path = db.dir().resolve(file);
            }
            default -> throw db.required("type").error("expected embedded (or sqlite, or the seeds' DBD with an SQLite DSN), got \"" + type + "\"");
        }
        Duration flush = db.duration("flush_interval", Duration.ofMillis(200));
        if (flush.isZero()) throw db.required("flush_interval").error("must be more than 0");
        db.finish();
        return new StoreConfig(path, flush, warnings);
    }

    Store open(Clock clock) {
        return EmbeddedStore.open(path, clock, flushInterval.toMillis());
    }
}
