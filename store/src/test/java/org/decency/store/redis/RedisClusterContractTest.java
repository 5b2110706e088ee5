package org.decency.store.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.decency.store.Store;
import org.decency.store.StoreContract;
import org.decency.testkit.Redis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on a real three-master Redis Cluster: every operation is one key (or one hash-tagged slot). */
class RedisClusterContractTest extends StoreContract {
    private static final AtomicInteger TESTS = new AtomicInteger();
    private static Redis.Cluster cluster;
    private static Path dir;
    private RedisSettings settings;

    @BeforeAll
    static void startCluster() throws Exception {
        dir = Files.createTempDirectory("decency-redis-cluster-");
        cluster = Redis.cluster(dir, 3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) cluster.close();
        org.decency.store.SharedServers.deleteTree(dir);
    }

    @Override
    protected Store open() {
        List<RedisSettings.HostPort> seeds = cluster.nodes().stream().map(n -> new RedisSettings.HostPort(n.host(), n.port())).toList();
        settings = new RedisSettings(null, 0, null, null, 0, null, List.of(), null, seeds, Duration.ofSeconds(2),
                "c" + TESTS.incrementAndGet() + ":");
        return RedisStore.open(settings);
    }

    @Override
    protected Store openAnother(Store first) {
        return RedisStore.open(settings);
    }

    @Override
    protected Optional<double[]> statsRow(Store store, String server, String table, String module, String status, String period, long start) {
        var h = ((RedisStore) store).statsHash(server, table, period, start);
        String f = module + "\t" + status + "\t";
        if (!h.containsKey(f + "calls")) return Optional.empty();
        return Optional.of(new double[]{Double.parseDouble(h.get(f + "calls")), Double.parseDouble(h.getOrDefault(f + "score", "0")),
                Double.parseDouble(h.getOrDefault(f + "runtime", "0"))});
    }
}
