package org.decency.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.decency.config.ConfigException;
import org.decency.config.ConfigLoader;
import org.decency.store.ListEntry;
import org.decency.store.Store;
import org.decency.store.embedded.EmbeddedStore;
import org.decency.store.postgres.PostgresStore;
import org.decency.store.redis.RedisSettings.HostPort;
import org.decency.store.redis.RedisStore;
import org.decency.store.split.SplitStore;
import org.decency.testkit.Postgres;
import org.decency.testkit.Redis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cache:} and {@code database:} choose the backends; the seeds' forms are understood. */
class StoreConfigTest {
    @TempDir Path dir;

    private StoreConfig read(String yaml) throws Exception {
        Path f = dir.resolve("decency.yml");
        Files.writeString(f, yaml);
        return StoreConfig.read(ConfigLoader.load(f));
    }

    @Test
    void theEmbeddedStoreStaysTheDefault() throws Exception {
        StoreConfig sc = read("server: {}\n");
        assertThat(sc.redis()).isNull();
        assertThat(sc.postgres()).isNull();
        assertThat(sc.path()).isEqualTo(Path.of("var/decency.db"));
        StoreConfig seeds = read("cache:\n  class: FastMmap\n  share_file: /tmp/x\ndatabase:\n  type: DBD\n  args: ['dbi:SQLite:dbname=d.db']\n");
        assertThat(seeds.path()).isEqualTo(dir.resolve("d.db"));
        assertThat(seeds.warnings()).singleElement().asString().contains("cache.class FastMmap is not needed");
    }

    @Test
    void redisStandaloneSentinelAndCluster() throws Exception {
        StoreConfig plain = read("cache:\n  class: redis\n  host: redis1\n  port: 6380\n  password: pw\n  database: 3\n  timeout: 500ms\n  prefix: 'mx:'\n");
        assertThat(plain.redis().describe()).isEqualTo("redis redis1:6380/3");
        assertThat(plain.redis().password()).isEqualTo("pw");
        assertThat(plain.redis().timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(plain.redis().prefix()).isEqualTo("mx:");
        assertThat(plain.postgres()).isNull();
        assertThat(plain.databaseInCache()).isFalse();

        StoreConfig sentinel = read("cache:\n  class: redis\n  sentinel:\n    master: mymaster\n    nodes: [s1, 's2:26380']\n    password: spw\n");
        assertThat(sentinel.redis().sentinelMaster()).isEqualTo("mymaster");
        assertThat(sentinel.redis().sentinels()).containsExactly(new HostPort("s1", 26379), new HostPort("s2", 26380));
        assertThat(sentinel.redis().sentinelPassword()).isEqualTo("spw");

        StoreConfig cluster = read("cache:\n  class: redis\n  cluster: ['c1:7000', 'c2:7001']\n");
        assertThat(cluster.redis().cluster()).containsExactly(new HostPort("c1", 7000), new HostPort("c2", 7001));

        assertThatThrownBy(() -> read("cache:\n  class: redis\n  cluster: [c1]\n  database: 2\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("only database 0");
        assertThatThrownBy(() -> read("cache:\n  class: redis\n  hots: x\n")).isInstanceOf(ConfigException.class).hasMessageContaining("unknown key");
    }

    @Test
    void postgresByKeysByUrlAndByTheSeedsDbiDsn() throws Exception {
        StoreConfig keys = read("database:\n  type: postgres\n  host: db1\n  port: 5433\n  name: spam\n  user: decency\n  password: pw\n"
                + "  pool_size: 4\n  timeout: 1s\n");
        assertThat(keys.postgres().url()).isEqualTo("jdbc:postgresql://db1:5433/spam");
        assertThat(keys.postgres().user()).isEqualTo("decency");
        assertThat(keys.postgres().poolSize()).isEqualTo(4);
        assertThat(keys.postgres().timeout()).isEqualTo(Duration.ofSeconds(1));

        StoreConfig url = read("database:\n  type: postgresql\n  url: jdbc:postgresql://db2/decency\n");
        assertThat(url.postgres().url()).isEqualTo("jdbc:postgresql://db2/decency");

        StoreConfig dbd = read("database:\n  type: DBD\n  args: ['dbi:Pg:dbname=decency;host=db3', 'decency', 'secret']\n");
        assertThat(dbd.postgres().url()).isEqualTo("jdbc:postgresql://db3:5432/decency");
        assertThat(dbd.postgres().user()).isEqualTo("decency");
        assertThat(dbd.postgres().password()).isEqualTo("secret");

        assertThatThrownBy(() -> read("database:\n  type: DBD\n  args: ['dbi:mysql:dbname=x']\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dbi:Pg:");
        assertThatThrownBy(() -> read("database:\n  type: redis\n")).isInstanceOf(ConfigException.class).hasMessageContaining("cache.class redis");
        assertThatThrownBy(() -> read("database:\n  type: mongodb\n")).isInstanceOf(ConfigException.class).hasMessageContaining("postgres");
    }

    @Test
    void eachCombinationOpensTheRightStoresOnRealServers() throws Exception {
        try (Redis redis = Redis.start(dir.resolve("redis")); Postgres pg = Postgres.start(dir.resolve("pg"))) {
            String cache = "cache:\n  class: redis\n  host: 127.0.0.1\n  port: " + redis.port() + "\n";
            String database = "database:\n  type: postgres\n  url: " + pg.jdbcUrl("postgres") + "\n  user: postgres\n";

            try (Store s = read(cache + database).open(Clock.systemUTC())) {
                SplitStore split = (SplitStore) s;
                assertThat(split.cache()).isInstanceOf(RedisStore.class);
                assertThat(split.database()).isInstanceOf(PostgresStore.class);
                s.put("greylist:x", "1", Duration.ofMinutes(1));
                s.lists().add(new ListEntry("cbl", ListEntry.Kind.IPS, "*", "192.0.2.1"));
                assertThat(split.cache().get("greylist:x")).contains("1");
                assertThat(split.database().get("greylist:x")).as("key/value state lives in the cache").isEmpty();
                assertThat(split.database().lists().entries("cbl")).hasSize(1);
            }
            try (Store s = read(database).open(Clock.systemUTC())) {
                assertThat(s).isInstanceOf(PostgresStore.class);
                assertThat(s.lists().entries("cbl")).extracting(ListEntry::value).containsExactly("192.0.2.1");
            }
            try (Store s = read(cache + "database:\n  type: redis\n").open(Clock.systemUTC())) {
                assertThat(s).isInstanceOf(RedisStore.class);
                assertThat(s.get("greylist:x")).contains("1");
            }
            try (Store s = read(cache + "database:\n  path: local.db\n").open(Clock.systemUTC())) {
                assertThat(((SplitStore) s).database()).isInstanceOf(EmbeddedStore.class);
                assertThat(s.get("greylist:x")).contains("1");
                assertThat(s.lists().entries("cbl")).as("lists stay in the local file").isEmpty();
            }
            StoreConfig sc = read(cache + database);
            try (StoreConfig.Lists l = sc.openLists()) {
                assertThat(l.lists().entries("cbl")).hasSize(1);
            }
            assertThat(sc.identity()).isEqualTo(read(cache + database).identity()).isNotEqualTo(read(cache).identity());
        }
    }

    @Test
    void decencyListWritesToPostgres() throws Exception {
        try (Postgres pg = Postgres.start(dir.resolve("pg"))) {
            Path f = dir.resolve("doorman.yml");
            Files.writeString(f, "database:\n  type: postgres\n  url: " + pg.jdbcUrl("postgres") + "\n  user: postgres\n");
            int rc = new picocli.CommandLine(new ListCommand()).execute("add", "cwl", "ips", "198.51.100.0/24", "-c", f.toString());
            assertThat(rc).isZero();
            try (Store s = StoreConfig.read(ConfigLoader.load(f)).open(Clock.systemUTC())) {
                assertThat(s.lists().entries("cwl")).extracting(ListEntry::value).containsExactly("198.51.100.0/24");
            }
            pg.close();
            assertThat(new picocli.CommandLine(new ListCommand()).execute("show", "cwl", "ips", "-c", f.toString()))
                    .as("PostgreSQL down: an error, not an empty list").isNotZero();
        }
    }

    @Test
    void nothingOpenedStaysOpenWhenTheDatabaseIsDown() throws Exception {
        try (Redis redis = Redis.start(dir.resolve("redis"))) {
            int port = org.decency.testkit.LocalDaemon.freeLoopbackPort();
            StoreConfig sc = read("cache:\n  class: redis\n  port: " + redis.port() + "\ndatabase:\n  type: postgres\n  port: " + port
                    + "\n  timeout: 300ms\n");
            assertThatThrownBy(() -> sc.open(Clock.systemUTC())).isInstanceOf(org.decency.store.StoreUnavailableException.class);
        }
    }

}
