package org.decency.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code decency start}: runs Decency with the embedded default configuration shipped
 * in {@code config/}: the Doorman ({@code doorman.yml}), the Detective
 * ({@code detective.yml}) and the Defender ({@code defender.yml}), whichever of the files
 * are there, on one shared store. No server to install: the store is an SQLite file and
 * the spool a folder under {@code var/}.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Start Decency with the default configuration in config/ (Doorman on 127.0.0.1:15000, Detective on"
                + " 127.0.0.1:16000, Defender on 127.0.0.1:14000).")
final class StartCommand implements Callable<Integer> {

    @Option(names = {"--config-dir"}, description = "Directory holding doorman.yml, detective.yml and defender.yml (default: ${DEFAULT-VALUE}).",
            defaultValue = "${env:DECENCY_HOME:-.}/config")
    Path configDir;

    @Override
    public Integer call() throws Exception {
        Path doorman = configDir.resolve("doorman.yml");
        Path detective = configDir.resolve("detective.yml");
        Path defender = configDir.resolve("defender.yml");
        if (!Files.isRegularFile(doorman) && !Files.isRegularFile(detective) && !Files.isRegularFile(defender)) {
            System.err.println("error: none of " + doorman + ", " + detective + ", " + defender
                    + " found; run from the Decency directory or pass --config-dir");
            return 2;
        }
        Clock clock = Clock.systemUTC();
        // One store per backend (database file, Redis, PostgreSQL): Doorman and Detective on the same one share it (and the Doorman's scores).
        java.util.Map<String, org.decency.store.Store> stores = new java.util.HashMap<>();
        java.util.function.Function<StoreConfig, org.decency.store.Store> open =
                sc -> stores.computeIfAbsent(sc.identity(), p -> sc.open(clock));
        List<RunningServer> running = new ArrayList<>();
        DoormanRunner.Assembly d = null;
        DetectiveRunner.Assembly c = null;
        DefenderRunner.Assembly f = null;
        ExecutorService blockingD = Executors.newVirtualThreadPerTaskExecutor();
        ExecutorService blockingC = Executors.newVirtualThreadPerTaskExecutor();
        ExecutorService blockingF = Executors.newVirtualThreadPerTaskExecutor();
        try {
            if (Files.isRegularFile(doorman)) d = DoormanRunner.assemble(doorman, clock, open, blockingD);
            if (Files.isRegularFile(detective)) c = DetectiveRunner.assemble(detective, clock, open, blockingC);
            if (Files.isRegularFile(defender)) f = DefenderRunner.assemble(defender, clock, open, blockingF);
        } catch (RuntimeException e) {
            stores.values().forEach(org.decency.store.Store::close);
            throw e;
        }
        (d != null ? d.logging() : c != null ? c.logging() : f.logging()).apply("decency");
        if (d != null) running.add(DoormanRunner.launch(d, clock, blockingD));
        if (c != null) running.add(DetectiveRunner.launch(c, blockingC));
        if (f != null) running.add(DefenderRunner.launch(f, blockingF));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.forEach(RunningServer::close);
            ((ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory()).stop();
        }, "decency-shutdown"));
        running.getFirst().awaitClose();
        return 0;
    }
}
