package org.decency.cli;

/** A started server: where it listens, and how to stop it (flushing its store). */
public interface RunningServer extends AutoCloseable {

    int port();

    /** Where its Prometheus endpoint listens; -1 when {@code metrics:} is off. */
    default int metricsPort() {
        return -1;
    }

    /** What runs beside it (statistics, maintenance, metrics); null where a server has none. */
    default ServerServices services() {
        return null;
    }

    /** Blocks until the server stops. */
    void awaitClose() throws InterruptedException;

    @Override
    void close();
}
