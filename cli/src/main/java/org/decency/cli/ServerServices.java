package org.decency.cli;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.decency.core.MaintenanceTask;
import org.decency.maintenance.Maintenance;
import org.decency.pipeline.Module;
import org.decency.pipeline.Pipeline;
import org.decency.pipeline.PipelineBuilder;
import org.decency.pipeline.StatsRecorder;
import org.decency.store.CountingStore;
import org.decency.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs beside every server (Doorman, Detective, Defender) whatever its protocol: the
 * statistics flush every 10 seconds, the maintenance (expired store entries every minute,
 * old statistics and the checks' own upkeep such as the Archive's retention hourly, each
 * under a lease in the store) and, when {@code metrics:} is set, the Prometheus endpoint.
 * A runner starts it with the assembled pipeline, runs its server with {@link #pipeline()}
 * and closes it after the server.
 */
public final class ServerServices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerServices.class);
    static final Duration STATS_FLUSH = Duration.ofSeconds(10);
    static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
    static final Duration STATS_RETENTION_EVERY = Duration.ofHours(1);

    /**
     * What a config says about them, read by {@link Engine#assemble}.
     *
     * @param kvScope       names where the key/value state lives (the lease of the expiry sweep)
     * @param databaseScope names where the statistics live (the lease of their retention)
     */
    public record Plan(String server, MetricsSettings metrics, String kvScope, String databaseScope) {}

    private final Pipeline pipeline;
    private final StatsRecorder stats;
    private final Maintenance maintenance;
    private final ServerMetrics metrics;
    private final ScheduledExecutorService timer;
    private boolean closed;

    private ServerServices(Pipeline pipeline, StatsRecorder stats, Maintenance maintenance, ServerMetrics metrics,
                           ScheduledExecutorService timer) {
        this.pipeline = pipeline;
        this.stats = stats;
        this.maintenance = maintenance;
        this.metrics = metrics;
        this.timer = timer;
    }

    /**
     * Starts them for a server assembled from {@code plan}: {@code store} is the server's
     * store (a {@link CountingStore}, whose failures the metrics show).
     */
    public static ServerServices start(Plan plan, PipelineBuilder.Result assembled, Store store, Clock clock) {
        StatsRecorder stats = assembled.stats();
        Maintenance maintenance = new Maintenance(store, tasks(plan, assembled, store, clock), owner(plan.server()), clock).start();
        ServerMetrics metrics = null;
        Pipeline pipeline = assembled.pipeline();
        try {
            if (plan.metrics().enabled()) {
                metrics = ServerMetrics.start(plan.server(), plan.metrics());
                if (store instanceof CountingStore counting) metrics.store(counting);
                metrics.maintenance(maintenance);
                pipeline = pipeline.observedBy(metrics);
            }
        } catch (RuntimeException e) {
            maintenance.close();
            throw e;
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
                .name(plan.server() + "-stats").daemon().unstarted(r));
        if (stats != null) {
            long ms = STATS_FLUSH.toMillis();
            timer.scheduleWithFixedDelay(() -> flushQuietly(stats), ms, ms, TimeUnit.MILLISECONDS);
        }
        return new ServerServices(pipeline, stats, maintenance, metrics, timer);
    }

    /** The maintenance tasks: the expiry sweep, the statistics' retention, and what the checks need. */
    static List<MaintenanceTask> tasks(Plan plan, PipelineBuilder.Result assembled, Store store, Clock clock) {
        List<MaintenanceTask> tasks = new ArrayList<>();
        tasks.add(MaintenanceTask.of("expired@" + plan.kvScope(), SWEEP_EVERY, () -> {
            int n = store.sweepExpired();
            return n == 0 ? "" : n + " expired entries deleted";
        }));
        StatsRecorder stats = assembled.stats();
        if (stats != null) {
            tasks.add(MaintenanceTask.of("stats:" + plan.server() + "@" + plan.databaseScope(), STATS_RETENTION_EVERY, () -> {
                int n = 0;
                // every period, also one no longer configured: its old rows go too
                for (String period : StatsRecorder.ALL_PERIODS) {
                    long firstKept = stats.retention().firstKept(period, clock.instant());
                    if (firstKept != Long.MIN_VALUE) n += store.pruneStats(plan.server(), period, firstKept);
                }
                return n == 0 ? "" : n + " old statistics rows deleted";
            }));
        }
        for (Module m : assembled.pipeline().modules()) tasks.addAll(m.check().maintenance());
        return tasks;
    }

    private static String owner(String server) {
        return host() + "/" + ProcessHandle.current().pid() + "/" + server;
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    private static void flushQuietly(StatsRecorder stats) {
        // a store that is down must not end the schedule (an exception would): log and go on
        try {
            stats.flush();
        } catch (RuntimeException e) {
            log.warn("statistics not written: {}", e.getMessage());
        }
    }

    /** The pipeline the server runs: the assembled one, heard by the metrics too. */
    public Pipeline pipeline() {
        return pipeline;
    }

    public Maintenance maintenance() {
        return maintenance;
    }

    /** The metrics, for what only this server has (the Detective's spool); null when off. */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** Where the metrics endpoint listens; -1 when off. */
    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    /** Writes the statistics counted so far (at shutdown, and for tests). */
    public void flushStats() {
        if (stats != null) flushQuietly(stats);
    }

    /** Stops them and writes the last statistics; the caller closes the store after. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        timer.shutdownNow();
        maintenance.close();
        flushStats();
        if (metrics != null) metrics.close();
    }
}
