package org.decency.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.decency.core.ManualClock;

/** The contract on the in-memory store (what the checks' own tests use), with a manual clock. */
class InMemoryStoreContractTest extends StoreContract {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T10:00:00Z"));

    @Override
    protected Store open() {
        return new InMemoryStore(clock);
    }

    @Override
    protected void pass(Duration d) {
        clock.advance(d);
    }

    @Override
    protected Optional<double[]> statsRow(Store store, String server, String table, String module, String status, String period, long start) {
        double[] sum = new double[3];
        boolean[] any = {false};
        ((InMemoryStore) store).statsRows().stream()
                .filter(r -> r.server().equals(server) && r.table().equals(table) && r.module().equals(module)
                        && r.status().equals(status) && r.period().equals(period) && r.start() == start)
                .forEach(r -> {
                    any[0] = true;
                    sum[0] += r.calls();
                    sum[1] += r.score();
                    sum[2] += r.runtimeSeconds();
                });
        return any[0] ? Optional.of(sum) : Optional.empty();
    }
}
