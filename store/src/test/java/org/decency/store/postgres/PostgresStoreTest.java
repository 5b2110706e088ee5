package org.decency.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import org.decency.store.SharedServers;
import org.decency.testkit.Postgres;
import org.junit.jupiter.api.Test;

/** What only the PostgreSQL store has: the sweeper of expired rows, and the seeds' DBI data source. */
class PostgresStoreTest {

    @Test
    void expiredRowsAreDeletedBySweeping() throws Exception {
        var s = new PostgresSettings(SharedServers.newPostgresDatabase("sweep"), Postgres.USER, null, 2, Duration.ofSeconds(5));
        try (PostgresStore store = PostgresStore.open(s)) {
            for (int i = 0; i < 10; i++) store.put("short:" + i, "v", Duration.ofMillis(50));
            store.put("long", "v", Duration.ofHours(1));
            Thread.sleep(300);
            assertThat(store.sweep(4)).isEqualTo(4);
            assertThat(store.sweep(100)).isEqualTo(6);
            assertThat(store.sweep(100)).isZero();
            try (Connection c = store.dataSource().getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT key FROM kv")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("long");
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void theSeedsDbiDataSourceBecomesAJdbcUrl() {
        assertThat(PostgresSettings.urlFromDbi("dbi:Pg:dbname=decency;host=db1.example.net;port=5433"))
                .isEqualTo("jdbc:postgresql://db1.example.net:5433/decency");
        assertThat(PostgresSettings.urlFromDbi("DBI:Pg:database=spam")).isEqualTo("jdbc:postgresql://localhost:5432/spam");
        assertThat(PostgresSettings.urlFromDbi("dbi:Pg:db=x;host=::1")).isEqualTo("jdbc:postgresql://[::1]:5432/x");
        assertThatThrownBy(() -> PostgresSettings.urlFromDbi("dbi:Pg:host=db1")).hasMessageContaining("no dbname");
        assertThatThrownBy(() -> PostgresSettings.urlFromDbi("dbi:mysql:dbname=x")).hasMessageContaining("not a PostgreSQL");
    }
}
