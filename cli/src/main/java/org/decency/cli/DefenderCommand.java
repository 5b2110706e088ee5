package org.decency.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code decency defender -c defender.yml}: runs the Defender (milter or prequeue mode, as the config says) until stopped. */
@Command(name = "defender", mixinStandardHelpOptions = true,
        description = "Run the Defender: the Doorman's and the Detective's checks in the SMTP session, as a milter (smtpd_milters)"
                + " or, with mode: prequeue, as the before-queue proxy (smtpd_proxy_filter).")
final class DefenderCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, description = "defender.yml")
    Path config;

    @Override
    public Integer call() throws Exception {
        return run(config);
    }

    static int run(Path config) throws InterruptedException {
        Clock clock = Clock.systemUTC();
        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        DefenderRunner.Assembly a = DefenderRunner.assemble(config, clock, sc -> sc.open(clock), blocking);
        a.logging().apply("defender");
        RunningServer server = DefenderRunner.launch(a, blocking);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            ((ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory()).stop();
        }, "defender-shutdown"));
        server.awaitClose();
        return 0;
    }
}
