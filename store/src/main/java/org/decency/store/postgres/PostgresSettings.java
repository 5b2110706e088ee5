package org.decency.store.postgres;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where the PostgreSQL store connects.
 *
 * @param url      a JDBC URL, {@code jdbc:postgresql://host:port/database}
 * @param user     or null (the driver's default)
 * @param password or null
 * @param poolSize connections kept per instance (HikariCP)
 * @param timeout  per call: waiting for a connection, and the statement itself
 *                 ({@code statement_timeout}); past it the call fails with
 *                 {@link org.decency.store.StoreUnavailableException}
 */
public record PostgresSettings(String url, String user, String password, int poolSize, Duration timeout) {
    public static final int DEFAULT_POOL_SIZE = 8;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    public PostgresSettings {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:postgresql:")) throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + url);
        if (poolSize < 1) throw new IllegalArgumentException("pool size must be at least 1");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be more than 0");
    }

    public static PostgresSettings of(String host, int port, String database, String user, String password) {
        return new PostgresSettings(url(host, port, database), user, password, DEFAULT_POOL_SIZE, DEFAULT_TIMEOUT);
    }

    public static String url(String host, int port, String database) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + database;
    }

    /**
     * The seeds' Perl DBI data source for PostgreSQL, {@code dbi:Pg:dbname=decency;host=db1;port=5432}
     * (also {@code database=} and {@code db=}), as a JDBC URL.
     */
    public static String urlFromDbi(String dsn) {
        String lower = dsn.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("dbi:pg:")) throw new IllegalArgumentException("not a PostgreSQL DBI data source: " + dsn);
        Map<String, String> attrs = new LinkedHashMap<>();
        for (String part : dsn.substring("dbi:pg:".length()).split(";")) {
            if (part.isBlank()) continue;
            int eq = part.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("expected key=value in \"" + part + "\" of " + dsn);
            attrs.put(part.substring(0, eq).strip().toLowerCase(Locale.ROOT), part.substring(eq + 1).strip());
        }
        String db = attrs.getOrDefault("dbname", attrs.getOrDefault("database", attrs.get("db")));
        if (db == null) throw new IllegalArgumentException("no dbname in " + dsn);
        String host = attrs.getOrDefault("host", "localhost");
        int port;
        try {
            port = Integer.parseInt(attrs.getOrDefault("port", "5432"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + dsn);
        }
        return url(host, port, db);
    }

    public PostgresSettings withTimeout(Duration t) {
        return new PostgresSettings(url, user, password, poolSize, t);
    }

    public PostgresSettings withPoolSize(int n) {
        return new PostgresSettings(url, user, password, n, timeout);
    }

    /** For log lines and errors: the URL without the password. */
    public String describe() {
        return "postgres " + url.substring("jdbc:postgresql:".length()) + (user != null ? " as " + user : "");
    }
}
