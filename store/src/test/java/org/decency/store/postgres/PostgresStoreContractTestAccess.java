package org.decency.store.postgres;

import java.util.Optional;

/** Lets the split store's contract test read PostgreSQL's statistics rows the same way. */
public final class PostgresStoreContractTestAccess {
    private PostgresStoreContractTestAccess() {}

    public static Optional<double[]> readStats(PostgresStore store, String server, String table, String module, String status,
                                               String period, long start) throws Exception {
        return PostgresStoreContractTest.readStats(store, server, table, module, status, period, start);
    }
}
