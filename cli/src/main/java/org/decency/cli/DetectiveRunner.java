package org.decency.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.detective.AcceptScoring;
import org.decency.detective.Detective;
import org.decency.detective.DetectiveSettings;
import org.decency.detective.DoormanScores;
import org.decency.detective.MailHandler;
import org.decency.detective.SpamPolicy;
import org.decency.pipeline.Pipeline;
import org.decency.pipeline.PipelineBuilder;
import org.decency.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads detective.yml, opens the store, builds the content checks and starts the Detective. */
public final class DetectiveRunner {
    private static final Logger log = LoggerFactory.getLogger(DetectiveRunner.class);

    private DetectiveRunner() {}

    /** Everything a Detective config describes, validated. */
    record Assembly(DetectiveSettings settings, PipelineBuilder.Result pipeline, LoggingSettings logging, Store store,
                    MailHandler.ScoreImport doormanScores, List<String> warnings, ServerServices.Plan services) {}

    static Assembly assemble(Path file, Clock clock, Function<StoreConfig, Store> openStore, ExecutorService blocking) {
        ConfigNode root = ConfigLoader.load(file);
        DetectiveSettings settings = DetectiveSettings.read(root);
        List<String> warnings = new java.util.ArrayList<>();
        AcceptScoring accept = AcceptScoring.read(root, warnings);
        root.child("reporting").ifPresent(n -> warnings.add(n.file() + ":" + n.line() + ": reporting is not available yet; ignored"));
        Engine engine = Engine.assemble(root, "detective", clock, openStore, blocking);
        try {
            root.finish();
        } catch (RuntimeException e) {
            engine.store().close();
            throw e;
        }
        warnings.addAll(engine.warnings());
        // The store counts even without accept_scoring: a Doorman sharing it left its findings there.
        var doormanScores = new DoormanScores(accept, engine.store(), clock);
        return new Assembly(settings, engine.pipeline(), engine.logging(), engine.store(), doormanScores, warnings, engine.services());
    }

    /** Starts a Detective from its config file; logging is left as the caller set it up. */
    public static RunningServer start(Path file) {
        return start(file, Clock.systemUTC());
    }

    static RunningServer start(Path file, Clock clock) {
        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        return launch(assemble(file, clock, sc -> sc.open(clock), blocking), blocking, clock);
    }

    static RunningServer launch(Assembly a, ExecutorService blocking) {
        return launch(a, blocking, Clock.systemUTC());
    }

    static RunningServer launch(Assembly a, ExecutorService blocking, Clock clock) {
        a.warnings().forEach(w -> log.warn(w));
        log.info("detective: the Doorman's scores count from {}", a.doormanScores());
        ServerServices services;
        try {
            services = ServerServices.start(a.services(), a.pipeline(), a.store(), clock);
        } catch (RuntimeException e) {
            a.store().close();
            throw e;
        }
        SpamPolicy spam = a.settings().spam();
        Pipeline pipeline = services.pipeline();
        // The pipeline stops early at the spam threshold; strict or ignore decide on the total alone.
        pipeline = pipeline.withThreshold(spam.behavior() == SpamPolicy.Behavior.SCORING ? spam.threshold() : Double.NEGATIVE_INFINITY);
        Detective detective = new Detective(a.settings(), pipeline, a.doormanScores());
        if (services.metrics() != null) {
            services.metrics().spool(detective.spool()::processingCount);
            services.metrics().reinjection(detective.reinjector()::failures, detective.reinjector()::undelivered);
        }
        try {
            detective.start();
        } catch (IOException | RuntimeException e) {
            services.close();
            detective.close();
            a.store().close();
            if (e instanceof IOException io) throw new UncheckedIOException("cannot start the detective: " + io.getMessage(), io);
            throw (RuntimeException) e;
        }
        return new ServedServer("detective", detective::port, detective::close, services, blocking, List.of(a.pipeline()), a.store());
    }
}
