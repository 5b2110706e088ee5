package org.decency.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code decency doorman -c doorman.yml}: runs the policy server until stopped. */
@Command(name = "doorman", mixinStandardHelpOptions = true,
        description = "Run the Doorman, the Postfix policy server (check_policy_service).")
final class DoormanCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, description = "doorman.yml")
    Path config;

    @Option(names = {"--port"}, description = "Override server.port.")
    Integer port;

    @Option(names = {"--host"}, description = "Override server.host.")
    String host;

    @Override
    public Integer call() throws Exception {
        return run(config, host, port);
    }

    static int run(Path config, String host, Integer port) throws InterruptedException {
        Clock clock = Clock.systemUTC();
        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        DoormanRunner.Assembly a = DoormanRunner.assemble(config, clock, sc -> sc.open(clock), blocking);
        a.logging().apply("doorman");
        if (host != null || port != null) {
            var s = a.settings();
            a = new DoormanRunner.Assembly(new org.decency.doorman.DoormanSettings(host != null ? host : s.host(),
                    port != null ? port : s.port(), s.instances(), s.limits(), s.disablePrepend()),
                    a.pipeline(), a.logging(), a.store(), a.forwarder(), a.warnings(), a.services());
        }
        RunningServer server = DoormanRunner.launch(a, clock, blocking);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            ((ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory()).stop(); // drains the async log queue
        }, "doorman-shutdown"));
        server.awaitClose();
        return 0;
    }
}
