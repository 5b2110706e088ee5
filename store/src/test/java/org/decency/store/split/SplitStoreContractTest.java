package org.decency.store.split;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.decency.store.SharedServers;
import org.decency.store.Store;
import org.decency.store.StoreContract;
import org.decency.store.postgres.PostgresSettings;
import org.decency.store.postgres.PostgresStore;
import org.decency.store.redis.RedisSettings;
import org.decency.store.redis.RedisStore;
import org.decency.testkit.Postgres;

/** The contract on the shared set-up: key/value state in Redis, lists and statistics in PostgreSQL. */
class SplitStoreContractTest extends StoreContract {
    private static final AtomicInteger TESTS = new AtomicInteger();
    private RedisSettings redis;
    private PostgresSettings postgres;

    @Override
    protected Store open() {
        var r = SharedServers.redis();
        redis = RedisSettings.standalone(r.host(), r.port()).withPrefix("split" + TESTS.incrementAndGet() + ":");
        postgres = new PostgresSettings(SharedServers.newPostgresDatabase("split"), Postgres.USER, null, 4, PostgresSettings.DEFAULT_TIMEOUT);
        return new SplitStore(RedisStore.open(redis), PostgresStore.open(postgres));
    }

    @Override
    protected Store openAnother(Store first) {
        return new SplitStore(RedisStore.open(redis), PostgresStore.open(postgres));
    }

    @Override
    protected Optional<double[]> statsRow(Store store, String server, String table, String module, String status, String period, long start)
            throws Exception {
        PostgresStore db = (PostgresStore) ((SplitStore) store).database();
        return org.decency.store.postgres.PostgresStoreContractTestAccess.readStats(db, server, table, module, status, period, start);
    }
}
