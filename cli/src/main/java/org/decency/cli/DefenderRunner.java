package org.decency.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.defender.Defender;
import org.decency.defender.DefenderSettings;
import org.decency.pipeline.Pipeline;
import org.decency.pipeline.PipelineObserver;
import org.decency.pipeline.PipelineBuilder;
import org.decency.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads defender.yml, opens the store, builds the Doorman's and the Detective's checks
 * (each section as doorman.yml and detective.yml are built, sharing the file's
 * {@code database:}, {@code cache:}, {@code logging:}, {@code dns:} and {@code stats:})
 * and starts the Defender.
 */
public final class DefenderRunner {
    private static final Logger log = LoggerFactory.getLogger(DefenderRunner.class);

    private DefenderRunner() {}

    /**
     * Everything a Defender config describes, validated.
     *
     * @param doorman   the envelope checks (null: no doorman: section)
     * @param detective the content checks (null: no detective: section)
     */
    record Assembly(DefenderSettings settings, PipelineBuilder.Result doorman, PipelineBuilder.Result detective,
                    LoggingSettings logging, Store store, List<String> warnings, ServerServices.Plan services) {

        /** The sections there are, the Doorman's first. */
        List<PipelineBuilder.Result> sections() {
            List<PipelineBuilder.Result> s = new ArrayList<>();
            if (doorman != null) s.add(doorman);
            if (detective != null) s.add(detective);
            return s;
        }

        Pipeline doormanPipeline() {
            return doorman == null ? Defender.noChecks() : doorman.pipeline();
        }

        Pipeline detectivePipeline() {
            return detective == null ? Defender.noChecks() : detective.pipeline();
        }
    }

    /** True for a config with the Defender's layout: a doorman: or detective: section, or mode:. */
    static boolean isDefender(ConfigNode root) {
        return root.isMapping() && (root.mapping().containsKey("doorman") || root.mapping().containsKey("detective")
                || root.mapping().containsKey("mode"));
    }

    static Assembly assemble(Path file, Clock clock, Function<StoreConfig, Store> openStore, ExecutorService blocking) {
        ConfigNode root = ConfigLoader.load(file);
        ConfigNode doormanNode = root.child("doorman").orElse(null);
        ConfigNode detectiveNode = root.child("detective").orElse(null);
        if (doormanNode == null && detectiveNode == null) {
            throw root.error("a Defender needs a doorman: section (envelope checks), a detective: section (content checks) or both");
        }
        ConfigNode doorman = doormanNode == null ? null : doormanNode.inheriting(root, DefenderSettings.SHARED);
        ConfigNode detective = detectiveNode == null ? null : detectiveNode.inheriting(root, DefenderSettings.SHARED);
        for (String k : DefenderSettings.SHARED) root.has(k);
        List<String> warnings = new ArrayList<>();
        DefenderSettings settings = DefenderSettings.read(root, doorman, detective, warnings);
        // the two sections share the file's database: one store for both
        Map<Path, Store> stores = new HashMap<>();
        Function<StoreConfig, Store> shared = sc -> stores.computeIfAbsent(sc.path().toAbsolutePath().normalize(), p -> openStore.apply(sc));
        Engine d = null;
        Engine c = null;
        try {
            if (doorman != null) {
                d = Engine.assemble(doorman, "doorman", clock, shared, blocking);
                doorman.finish();
            }
            if (detective != null) {
                c = Engine.assemble(detective, "detective", clock, shared, blocking);
                detective.finish();
            }
            root.finish();
        } catch (RuntimeException e) {
            stores.values().forEach(Store::close);
            throw e;
        }
        if (stores.size() > 1) {
            stores.values().forEach(Store::close);
            ConfigNode own = detectiveNode.has("database") ? detectiveNode : doormanNode;
            throw own.required("database").error("the doorman: and detective: sections must share one database;"
                    + " give database: once, at the top of the file");
        }
        Engine first = d != null ? d : c;
        if (d != null) addNew(warnings, d.warnings());
        if (c != null) addNew(warnings, c.warnings());
        // one metrics endpoint and one maintenance for both sections, under the Defender's name
        ServerServices.Plan plan = new ServerServices.Plan("defender", first.services().metrics(), first.services().kvScope(),
                first.services().databaseScope());
        return new Assembly(settings, d == null ? null : d.pipeline(), c == null ? null : c.pipeline(), first.logging(), first.store(),
                warnings, plan);
    }

    /** The sections share the top-level settings: a warning about them would come twice. */
    private static void addNew(List<String> to, List<String> from) {
        for (String w : from) if (!to.contains(w)) to.add(w);
    }

    /** Starts a Defender from its config file; logging is left as the caller set it up. */
    public static RunningServer start(Path file) {
        Clock clock = Clock.systemUTC();
        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        return launch(assemble(file, clock, sc -> sc.open(clock), blocking), blocking);
    }

    static RunningServer launch(Assembly a, ExecutorService blocking) {
        return launch(a, blocking, Clock.systemUTC());
    }

    static RunningServer launch(Assembly a, ExecutorService blocking, Clock clock) {
        a.warnings().forEach(w -> log.warn(w));
        ServerServices services;
        try {
            services = ServerServices.start(a.services(), a.sections(), a.store(), clock);
        } catch (RuntimeException e) {
            a.store().close();
            throw e;
        }
        List<Pipeline> running = services.pipelines();
        Pipeline doorman = a.doorman() == null ? Defender.noChecks() : running.getFirst();
        // without a detective: section a mail's end is still counted, by the Doorman's observers
        Pipeline detective = a.detective() != null ? running.getLast() : Defender.noChecks().observedBy(new PipelineObserver() {
            @Override
            public void finalState(String state) {
                doorman.finalState(state);
            }
        });
        Defender defender = new Defender(a.settings(), doorman, detective);
        try {
            defender.start();
        } catch (IOException | RuntimeException e) {
            services.close();
            defender.close();
            a.store().close();
            if (e instanceof IOException io) throw new UncheckedIOException("cannot start the defender: " + io.getMessage(), io);
            throw (RuntimeException) e;
        }
        return new ServedServer("defender", defender::port, defender::close, services, blocking, a.sections(), a.store());
    }
}
