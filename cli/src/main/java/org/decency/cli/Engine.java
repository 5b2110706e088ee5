package org.decency.cli;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;
import org.decency.core.LocalHost;
import org.decency.dns.resolver.DnsSettings;
import org.decency.dns.resolver.DnsjavaDns;
import org.decency.pipeline.PipelineBuilder;
import org.decency.store.CountingStore;
import org.decency.store.Store;

/**
 * What every server config shares: logging, the store, the DNS resolver, the pipeline of
 * checks, and what runs beside the server ({@code stats:}, {@code metrics:}, maintenance). The caller reads its own keys too and then calls
 * {@code root.finish()}, so unknown keys are found whoever owns them.
 */
record Engine(PipelineBuilder.Result pipeline, LoggingSettings logging, Store store, List<String> warnings,
              ServerServices.Plan services) {

    /**
     * @param server    the server kind (doorman, detective), for store keys and statistics
     * @param openStore turns the database settings into a store (check-config passes an in-memory one)
     */
    static Engine assemble(ConfigNode root, String server, Clock clock, Function<StoreConfig, Store> openStore,
                           ExecutorService blocking) {
        List<String> warnings = new ArrayList<>();
        LoggingSettings logging = LoggingSettings.read(root);
        StoreConfig storeConfig = StoreConfig.read(root);
        DnsSettings dns = DnsSettings.read(root);
        MetricsSettings metrics = MetricsSettings.read(root);
        warnings.addAll(storeConfig.warnings());
        // counted, so the metrics show the store's failures wherever they happen
        Store store = new CountingStore(openStore.apply(storeConfig));
        try {
            CheckEnvironment env = new CheckEnvironment(store, clock, root.dir(), server,
                    LocalHost.hostnames(), LocalHost.addresses()).withDns(DnsjavaDns.lazy(dns));
            PipelineBuilder.Result pipeline = new PipelineBuilder().build(root, env, blocking);
            warnings.addAll(pipeline.warnings());
            return new Engine(pipeline, logging, store, warnings,
                    new ServerServices.Plan(server, metrics, storeConfig.kvScope(), storeConfig.databaseScope()));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }
}
