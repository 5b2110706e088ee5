package org.decency.cli;

/** A started server: where it listens, and how to stop it (flushing its store). */
public interface RunningServer extends AutoCloseable {

    int port();

    /** Blocks until the server stops. */
    void awaitClose() throws InterruptedException;

    @Override
    void close();
}
