package org.decency.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.decency.store.SharedServers;
import org.decency.testkit.Postgres;
import org.junit.jupiter.api.Test;

/** The schema is versioned: migrated at the first start, left alone at the next, once only when instances start together. */
class PostgresMigrationTest {

    private static PostgresSettings fresh(String name) {
        return new PostgresSettings(SharedServers.newPostgresDatabase(name), Postgres.USER, null, 2, Duration.ofSeconds(5));
    }

    @Test
    void aNewDatabaseIsMigratedAndAnUpToDateOneLeftAlone() throws Exception {
        PostgresSettings s = fresh("migrate");
        try (PostgresStore store = PostgresStore.open(s)) {
            assertThat(history(store)).containsExactly("1 true", "2 true");
            assertThat(tables(store)).contains("kv", "list_entries", "meta", "stats_performance", "stats_response", "stats_final_state");
            store.put("k", "v", Duration.ofHours(1));
        }
        try (PostgresStore store = PostgresStore.open(s)) {
            assertThat(history(store)).as("nothing applied twice").containsExactly("1 true", "2 true");
            assertThat(store.get("k")).contains("v");
        }
    }

    @Test
    void instancesStartingTogetherMigrateOnce() throws Exception {
        PostgresSettings s = fresh("together");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<PostgresStore> stores = new ArrayList<>();
        try {
            List<Future<PostgresStore>> opening = new ArrayList<>();
            for (int i = 0; i < 4; i++) opening.add(pool.submit(() -> PostgresStore.open(s)));
            for (Future<PostgresStore> f : opening) stores.add(f.get());
            assertThat(history(stores.getFirst())).containsExactly("1 true", "2 true");
        } finally {
            stores.forEach(PostgresStore::close);
            pool.shutdownNow();
        }
    }

    @Test
    void aDatabaseWithOtherTablesIsMigratedBesideThem() throws Exception {
        String url = SharedServers.newPostgresDatabase("shared");
        String db = url.substring(url.lastIndexOf('/') + 1);
        SharedServers.postgres().psql(db, "CREATE TABLE someone_elses (id int)");
        try (PostgresStore store = PostgresStore.open(new PostgresSettings(url, Postgres.USER, null, 2, Duration.ofSeconds(5)))) {
            assertThat(history(store)).contains("1 true", "2 true");
            assertThat(tables(store)).contains("kv", "someone_elses");
            assertThat(store.increment("c", 1, Duration.ofHours(1))).isEqualTo(1);
        }
    }

    @Test
    void version2MovesTheOldFinalAnswersToTheFinalStateTable() throws Exception {
        PostgresSettings s = fresh("v1stats");
        org.flywaydb.core.Flyway.configure(PostgresStore.class.getClassLoader()).dataSource(s.url(), s.user(), s.password())
                .locations(PostgresStore.MIGRATIONS).table(PostgresStore.HISTORY_TABLE).target("1").load().migrate();
        String db = s.url().substring(s.url().lastIndexOf('/') + 1);
        SharedServers.postgres().psql(db, "INSERT INTO stats_response (server, module, period, start, status, calls, last_update) VALUES"
                + " ('doorman', '*', 'hour', 3600, 'DUNNO', 5, 1), ('doorman', '*', 'hour', 3600, 'PREPEND', 2, 2),"
                + " ('doorman', '*', 'hour', 3600, '450', 1, 1), ('doorman', '*', 'hour', 3600, 'OK', 4, 1),"
                + " ('doorman', 'CBL', 'hour', 3600, 'REJECT', 3, 1)");
        try (PostgresStore store = PostgresStore.open(s)) {
            assertThat(history(store)).containsExactly("1 true", "2 true");
            assertThat(query(store, "SELECT status || '=' || amount FROM stats_final_state ORDER BY status"))
                    .containsExactly("accept=4", "defer=1", "pass=7");
            assertThat(query(store, "SELECT module || ' ' || status FROM stats_response")).containsExactly("CBL REJECT");
            assertThat(store.readStats("doorman", "hour", 3600, 3600)).extracting(r -> r.table() + " " + r.status() + " " + r.calls())
                    .containsExactlyInAnyOrder("response REJECT 3", "final_state accept 4", "final_state defer 1", "final_state pass 7");
        }
    }

    private static List<String> history(PostgresStore store) throws Exception {
        return query(store, "SELECT version || ' ' || success FROM " + PostgresStore.HISTORY_TABLE + " WHERE version IS NOT NULL AND version <> '0'"
                + " ORDER BY installed_rank");
    }

    private static List<String> tables(PostgresStore store) throws Exception {
        return query(store, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    }

    private static List<String> query(PostgresStore store, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = store.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
