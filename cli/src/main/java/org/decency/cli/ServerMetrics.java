package org.decency.cli;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.decency.core.Action;
import org.decency.maintenance.Maintenance;
import org.decency.pipeline.LatencyBuckets;
import org.decency.pipeline.PipelineObserver;
import org.decency.store.CountingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server's Prometheus metrics (the Prometheus Java client; every series carries a
 * {@code server} label): it hears the pipeline (decisions by final state, per check its
 * hits, final words, failures and a latency histogram in the statistics' buckets) and
 * reads the store's failure counts, the maintenance's runs and, for the Detective, the
 * spool and the reinjection. Servers of one process that listen on the same address share
 * one endpoint; it stops when the last of them closes. The names are listed in
 * docs/OPERATIONS.md.
 */
public final class ServerMetrics implements PipelineObserver, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerMetrics.class);
    private static final Map<String, Endpoint> SHARED = new ConcurrentHashMap<>();

    /** What a callback metric reports: a value and its label values (after {@code server}). */
    @FunctionalInterface
    interface Source extends Consumer<BiConsumer<Double, String[]>> {}

    /** The registry, the HTTP server and the metric families, shared by the servers listening on one address. */
    private static final class Endpoint {
        final String key;
        final PrometheusRegistry registry = new PrometheusRegistry();
        final HTTPServer http;
        int users;
        final Counter decisions;
        final Counter hits;
        final Counter finals;
        final Counter failures;
        final Histogram duration;
        final Map<String, List<Source>> sources = new ConcurrentHashMap<>();

        Endpoint(String key, InetSocketAddress listen) throws IOException {
            this.key = key;
            decisions = Counter.builder().name("decency_decisions").help("Mails by what the server finally did with them"
                    + " (doorman: accept, pass, reject, defer, ...; detective: deliver/good, tag/spam, ...)")
                    .labelNames("server", "action").register(registry);
            hits = Counter.builder().name("decency_check_hits").help("Calls of a check that gave a partial score other than 0")
                    .labelNames("server", "check").register(registry);
            finals = Counter.builder().name("decency_check_final_words").help("Calls of a check that ended the run with its final word")
                    .labelNames("server", "check", "action").register(registry);
            failures = Counter.builder().name("decency_check_failures").help("Calls of a check that threw or timed out")
                    .labelNames("server", "check").register(registry);
            duration = Histogram.builder().name("decency_check_duration_seconds").help("How long a check took, per call")
                    .classicOnly().classicUpperBounds(LatencyBuckets.upperBoundsSeconds())
                    .labelNames("server", "check").register(registry);
            counter("decency_store_errors", "Store calls that failed (kind: unavailable, error)", "operation", "kind");
            counter("decency_maintenance_runs", "Maintenance runs this instance did (it held the lease)", "task");
            counter("decency_maintenance_failures", "Maintenance runs that failed", "task");
            gauge("decency_spool_processing", "Mails in the Detective's processing/ folder: received, being checked and passed on");
            counter("decency_reinject_failures", "Failed attempts to pass a mail on, per reinjection target (the next one is tried)", "target");
            counter("decency_reinject_undelivered", "Mails no reinjection target took");
            http = HTTPServer.builder().inetAddress(listen.getAddress()).port(listen.getPort()).registry(registry).buildAndStart();
        }

        private List<Source> list(String name) {
            return sources.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>());
        }

        private void counter(String name, String help, String... labels) {
            List<Source> from = list(name);
            CounterWithCallback.builder().name(name).help(help).labelNames(withServer(labels))
                    .callback(cb -> from.forEach(s -> s.accept(cb::call))).register(registry);
        }

        private void gauge(String name, String help, String... labels) {
            List<Source> from = list(name);
            GaugeWithCallback.builder().name(name).help(help).labelNames(withServer(labels))
                    .callback(cb -> from.forEach(s -> s.accept(cb::call))).register(registry);
        }

        private static String[] withServer(String[] labels) {
            String[] all = new String[labels.length + 1];
            all[0] = "server";
            System.arraycopy(labels, 0, all, 1, labels.length);
            return all;
        }
    }

    private final String server;
    private final Endpoint endpoint;
    private final List<Map.Entry<String, Source>> mine = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, DistributionDataPoint> durations = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CounterDataPoint> hitCounters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CounterDataPoint> decisionCounters = new ConcurrentHashMap<>();
    private boolean closed;

    private ServerMetrics(String server, Endpoint endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    /**
     * Starts (or joins) the endpoint at {@code settings.listen()} for {@code server}.
     *
     * @throws UncheckedIOException when the address cannot be listened on
     */
    public static ServerMetrics start(String server, MetricsSettings settings) {
        InetSocketAddress at = settings.listen();
        if (at.isUnresolved()) throw new UncheckedIOException("metrics: cannot listen on " + at.getHostString() + ": unknown host",
                new java.net.UnknownHostException(at.getHostString()));
        // port 0: any free port, never shared
        String key = at.getPort() == 0 ? "any:" + System.nanoTime() : at.getAddress().getHostAddress() + ":" + at.getPort();
        synchronized (SHARED) {
            Endpoint e = SHARED.get(key);
            if (e == null) {
                try {
                    e = new Endpoint(key, at);
                } catch (IOException ex) {
                    throw new UncheckedIOException("metrics: cannot listen on " + at + ": " + ex.getMessage(), ex);
                }
                SHARED.put(key, e);
                log.info("metrics: Prometheus endpoint on http://{}:{}/metrics", at.getHostString(), e.http.getPort());
            }
            e.users++;
            return new ServerMetrics(server, e);
        }
    }

    /** The port the endpoint listens on. */
    public int port() {
        return endpoint.http.getPort();
    }

    private void add(String family, Source s) {
        Source withServer = sink -> s.accept((v, labels) -> {
            String[] all = new String[labels.length + 1];
            all[0] = server;
            System.arraycopy(labels, 0, all, 1, labels.length);
            sink.accept(v, all);
        });
        endpoint.list(family).add(withServer);
        mine.add(Map.entry(family, withServer));
    }

    /** The store's failures, counted by the {@link CountingStore} the server uses. */
    public void store(CountingStore store) {
        add("decency_store_errors", sink -> store.failures().forEach((f, n) -> sink.accept((double) n, new String[]{f.operation(), f.kind()})));
    }

    /** The maintenance's runs and failures per task. */
    public void maintenance(Maintenance m) {
        add("decency_maintenance_runs", sink -> m.counts().forEach((task, c) -> sink.accept((double) c.runs(), new String[]{task})));
        add("decency_maintenance_failures", sink -> m.counts().forEach((task, c) -> sink.accept((double) c.failures(), new String[]{task})));
    }

    /** The Detective's spool: mails in processing/ now. */
    public void spool(LongSupplier processing) {
        add("decency_spool_processing", sink -> sink.accept((double) Math.max(0, processing.getAsLong()), new String[0]));
    }

    /** The Detective's reinjection: failed attempts per target, and mails no target took. */
    public void reinjection(Supplier<Map<String, Long>> failuresByTarget, LongSupplier undelivered) {
        add("decency_reinject_failures", sink -> failuresByTarget.get().forEach((t, n) -> sink.accept((double) n, new String[]{t})));
        add("decency_reinject_undelivered", sink -> sink.accept((double) undelivered.getAsLong(), new String[0]));
    }

    @Override
    public void checked(String module, double score, Action finalWord, long nanos) {
        DistributionDataPoint d = durations.get(module);
        if (d == null) d = durations.computeIfAbsent(module, m -> endpoint.duration.labelValues(server, m));
        d.observe(nanos / 1e9);
        if (score != 0) {
            CounterDataPoint h = hitCounters.get(module);
            if (h == null) h = hitCounters.computeIfAbsent(module, m -> endpoint.hits.labelValues(server, m));
            h.inc();
        }
        if (finalWord != null) endpoint.finals.labelValues(server, module, finalWord.name()).inc();
    }

    @Override
    public void failed(String module, String why) {
        endpoint.failures.labelValues(server, module).inc();
    }

    @Override
    public void finalState(String state) {
        CounterDataPoint c = decisionCounters.get(state);
        if (c == null) c = decisionCounters.computeIfAbsent(state, s -> endpoint.decisions.labelValues(server, s));
        c.inc();
    }

    @Override
    public void close() {
        synchronized (SHARED) {
            if (closed) return;
            closed = true;
            for (Map.Entry<String, Source> e : mine) endpoint.list(e.getKey()).remove(e.getValue());
            if (--endpoint.users == 0) {
                SHARED.remove(endpoint.key);
                endpoint.http.close();
            }
        }
    }
}
