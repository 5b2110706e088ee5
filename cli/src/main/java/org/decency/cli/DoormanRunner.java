package org.decency.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.doorman.DoormanServer;
import org.decency.doorman.DoormanSettings;
import org.decency.doorman.ForwardScoring;
import org.decency.doorman.ScoreForwarder;
import org.decency.forward.ScoreSigner;
import org.decency.pipeline.PipelineBuilder;
import org.decency.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads doorman.yml, opens the store, builds the pipeline and starts the Doorman. */
public final class DoormanRunner {
    private static final Logger log = LoggerFactory.getLogger(DoormanRunner.class);

    private DoormanRunner() {}

    /** Everything a Doorman config describes, validated. */
    record Assembly(DoormanSettings settings, PipelineBuilder.Result pipeline, LoggingSettings logging,
                    Store store, ScoreForwarder forwarder, List<String> warnings, ServerServices.Plan services) {}

    /**
     * Validates {@code file} completely; {@code openStore} turns the database settings
     * into a store (check-config passes an in-memory one so it writes nothing).
     */
    static Assembly assemble(Path file, Clock clock, Function<StoreConfig, Store> openStore, ExecutorService blocking) {
        ConfigNode root = ConfigLoader.load(file);
        DoormanSettings settings = DoormanSettings.read(root);
        List<String> warnings = new ArrayList<>();
        ScoreSigner signer = ForwardScoring.read(root, warnings);
        root.child("reporting").ifPresent(n -> warnings.add(n.file() + ":" + n.line()
                + ": reporting is not available yet (it comes in a later release); ignored"));
        Engine engine = Engine.assemble(root, "doorman", clock, openStore, blocking);
        try {
            root.finish();
        } catch (RuntimeException e) {
            engine.store().close();
            throw e;
        }
        warnings.addAll(engine.warnings());
        // The findings always go to the store too: a Detective sharing it finds them there.
        ScoreForwarder forwarder = new ScoreForwarder(signer, engine.store());
        return new Assembly(settings, engine.pipeline(), engine.logging(), engine.store(), forwarder, warnings, engine.services());
    }

    /** Starts a Doorman from its config file; logging is left as the caller set it up. */
    public static RunningServer start(Path file) throws InterruptedException {
        return start(file, Clock.systemUTC());
    }

    static RunningServer start(Path file, Clock clock) throws InterruptedException {
        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        Assembly a = assemble(file, clock, sc -> sc.open(clock), blocking);
        return launch(a, clock, blocking);
    }

    static RunningServer launch(Assembly a, Clock clock, ExecutorService blocking) throws InterruptedException {
        a.warnings().forEach(w -> log.warn(w));
        ServerServices services;
        try {
            services = ServerServices.start(a.services(), a.pipeline(), a.store(), clock);
        } catch (RuntimeException e) {
            a.store().close();
            throw e;
        }
        DoormanServer server = new DoormanServer(a.settings(), services.pipeline(), clock, blocking, a.forwarder());
        try {
            server.start();
        } catch (RuntimeException | InterruptedException e) {
            services.close();
            a.store().close();
            throw e;
        }
        return new ServedServer("doorman", server::port, server::close, services, blocking, List.of(a.pipeline()), a.store());
    }
}
