package org.decency.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.decency.testkit.Postgres;
import org.decency.testkit.Redis;

/**
 * One redis-server and one PostgreSQL for all contract tests of this test run, started on
 * first use on loopback and stopped when the JVM exits. Tests that stop their server
 * (outages) start their own instead.
 */
public final class SharedServers {
    private static Redis redis;
    private static Postgres postgres;
    private static int databases;

    private SharedServers() {}

    public static synchronized Redis redis() {
        if (redis == null) {
            Path dir = tempDir("redis");
            redis = Redis.start(dir);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                redis.close();
                deleteTree(dir);
            }));
        }
        return redis;
    }

    public static synchronized Postgres postgres() {
        if (postgres == null) {
            Path dir = tempDir("postgres");
            postgres = Postgres.start(dir);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                postgres.close();
                deleteTree(dir);
            }));
        }
        return postgres;
    }

    /** A new, empty database on the shared PostgreSQL; its JDBC URL. */
    public static synchronized String newPostgresDatabase(String prefix) {
        String name = prefix + "_" + (++databases);
        postgres().psql("postgres", "CREATE DATABASE " + name);
        return postgres().jdbcUrl(name);
    }

    public static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: it is a temp folder
        }
    }

    private static Path tempDir(String name) {
        try {
            return Files.createTempDirectory("decency-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
