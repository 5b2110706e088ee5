package org.decency.store.redis;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.decency.store.SharedServers;
import org.decency.store.Store;
import org.decency.store.StoreContract;
import org.decency.testkit.Redis;

/** The contract on a real redis-server (standalone); each test gets its own key prefix on the shared server. */
class RedisStoreContractTest extends StoreContract {
    private static final AtomicInteger TESTS = new AtomicInteger();
    private RedisSettings settings;

    @Override
    protected Store open() {
        Redis redis = SharedServers.redis();
        settings = RedisSettings.standalone(redis.host(), redis.port()).withPrefix("t" + TESTS.incrementAndGet() + ":");
        return RedisStore.open(settings);
    }

    @Override
    protected Store openAnother(Store first) {
        return RedisStore.open(settings);
    }

    @Override
    protected Optional<double[]> statsRow(Store store, String server, String table, String module, String status, String period, long start) {
        Map<String, String> h = ((RedisStore) store).statsHash(server, table, period, start);
        String f = module + "\t" + status + "\t";
        if (!h.containsKey(f + "calls")) return Optional.empty();
        return Optional.of(new double[]{Double.parseDouble(h.get(f + "calls")), Double.parseDouble(h.getOrDefault(f + "score", "0")),
                Double.parseDouble(h.getOrDefault(f + "runtime", "0"))});
    }
}
