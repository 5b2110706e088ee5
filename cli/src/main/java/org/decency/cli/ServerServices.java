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
 * A runner starts it with the assembled pipeline (the Defender: its two, the Doorman's and
 * the Detective's section), runs its server with {@link #pipeline()} (or {@link
 * #pipelines()}) and closes it after the server.
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

    private final List<Pipeline> pipelines;
    private final List<StatsRecorder> stats;
    private final Maintenance maintenance;
    private final ServerMetrics metrics;
    private final ScheduledExecutorService timer;
    private boolean closed;

    private ServerServices(List<Pipeline> pipelines, List<StatsRecorder> stats, Maintenance maintenance, ServerMetrics metrics,
                           ScheduledExecutorService timer) {
        this.pipelines = pipelines;
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
        return start(plan, List.of(assembled), store, clock);
    }

    /** Starts them for a server that runs several pipelines on one store (the Defender's sections). */
    public static ServerServices start(Plan plan, List<PipelineBuilder.Result> sections, Store store, Clock clock) {
        List<StatsRecorder> stats = sections.stream().map(PipelineBuilder.Result::stats).filter(java.util.Objects::nonNull).toList();
        Maintenance maintenance = new Maintenance(store, tasks(plan, sections, store, clock), owner(plan.server()), clock).start();
        ServerMetrics metrics = null;
        List<Pipeline> pipelines = sections.stream().map(PipelineBuilder.Result::pipeline).toList();
        try {
            if (plan.metrics().enabled()) {
                ServerMetrics m = ServerMetrics.start(plan.server(), plan.metrics());
                metrics = m;
                if (store instanceof CountingStore counting) m.store(counting);
                m.maintenance(maintenance);
                pipelines = pipelines.stream().map(p -> p.observedBy(m)).toList();
            }
        } catch (RuntimeException e) {
            maintenance.close();
            throw e;
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
                .name(plan.server() + "-stats").daemon().unstarted(r));
        long ms = STATS_FLUSH.toMillis();
        for (StatsRecorder s : stats) timer.scheduleWithFixedDelay(() -> flushQuietly(s), ms, ms, TimeUnit.MILLISECONDS);
        return new ServerServices(pipelines, stats, maintenance, metrics, timer);
    }

    /** The maintenance tasks: the expiry sweep, the statistics' retention, and what the checks need. */
    static List<MaintenanceTask> tasks(Plan plan, List<PipelineBuilder.Result> sections, Store store, Clock clock) {
        List<MaintenanceTask> tasks = new ArrayList<>();
        tasks.add(MaintenanceTask.of("expired@" + plan.kvScope(), SWEEP_EVERY, () -> {
            int n = store.sweepExpired();
            return n == 0 ? "" : n + " expired entries deleted";
        }));
        for (PipelineBuilder.Result assembled : sections) {
            StatsRecorder stats = assembled.stats();
            if (stats != null) tasks.add(statsRetention(stats, plan, store, clock));
            for (Module m : assembled.pipeline().modules()) tasks.addAll(m.check().maintenance());
        }
        return tasks;
    }

    private static MaintenanceTask statsRetention(StatsRecorder stats, Plan plan, Store store, Clock clock) {
        return MaintenanceTask.of("stats:" + stats.server() + "@" + plan.databaseScope(), STATS_RETENTION_EVERY, () -> {
            int n = 0;
            // every period, also one no longer configured: its old rows go too
            for (String period : StatsRecorder.ALL_PERIODS) {
                long firstKept = stats.retention().firstKept(period, clock.instant());
                if (firstKept != Long.MIN_VALUE) n += store.pruneStats(stats.server(), period, firstKept);
            }
            return n == 0 ? "" : n + " old statistics rows deleted";
        });
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
        return pipelines.getFirst();
    }

    /** The pipelines, in the order of the sections given to {@link #start(Plan, List, Store, Clock)}. */
    public List<Pipeline> pipelines() {
        return pipelines;
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
        stats.forEach(ServerServices::flushQuietly);
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
