package org.decency.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code decency detective -c detective.yml}: runs the after-queue content filter until stopped. */
@Command(name = "detective", mixinStandardHelpOptions = true,
        description = "Run the Detective, the after-queue content filter (Postfix content_filter).")
final class DetectiveCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, description = "detective.yml")
    Path config;

    @Override
    public Integer call() throws Exception {
        return run(config);
    }

    static int run(Path config) throws InterruptedException {
        DetectiveRunner.Assembly a = DetectiveRunner.assemble(config, java.time.Clock.systemUTC(), sc -> sc.open(java.time.Clock.systemUTC()),
                java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        a.logging().apply("detective");
        RunningServer server = DetectiveRunner.launch(a, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            ((ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory()).stop();
        }, "detective-shutdown"));
        server.awaitClose();
        return 0;
    }
}
