package org.decency.cli;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.function.IntSupplier;
import org.decency.pipeline.PipelineBuilder;
import org.decency.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started front door (Doorman, Detective, Defender) with what runs beside it. Closing it,
 * once, stops the door, then the services, the checks' blocking executor, the checks and the
 * store (flushing it), in that order; {@link #awaitClose} returns when all that is done.
 */
final class ServedServer implements RunningServer {
    private static final Logger log = LoggerFactory.getLogger(ServedServer.class);

    private final String name;
    private final IntSupplier port;
    private final Runnable stopDoor;
    private final ServerServices services;
    private final ExecutorService blocking;
    private final List<PipelineBuilder.Result> sections;
    private final Store store;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean closed;

    ServedServer(String name, IntSupplier port, Runnable stopDoor, ServerServices services, ExecutorService blocking,
                 List<PipelineBuilder.Result> sections, Store store) {
        this.name = name;
        this.port = port;
        this.stopDoor = stopDoor;
        this.services = services;
        this.blocking = blocking;
        this.sections = sections;
        this.store = store;
    }

    @Override
    public int port() {
        return port.getAsInt();
    }

    @Override
    public int metricsPort() {
        return services.metricsPort();
    }

    @Override
    public ServerServices services() {
        return services;
    }

    @Override
    public void awaitClose() throws InterruptedException {
        stopped.await();
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        stopDoor.run();
        services.close();
        blocking.shutdownNow();
        for (PipelineBuilder.Result section : sections) section.pipeline().closeChecks();
        store.close();
        stopped.countDown();
        log.info("{} stopped", name);
    }
}
