package org.decency.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code decency start}: runs Decency with the embedded default configuration shipped
 * in {@code config/} (no server to install: the store is an SQLite file under {@code var/}).
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Start Decency with the default configuration in config/ (Doorman on 127.0.0.1:15000).")
final class StartCommand implements Callable<Integer> {

    @Option(names = {"--config-dir"}, description = "Directory holding doorman.yml (default: ${DEFAULT-VALUE}).",
            defaultValue = "${env:DECENCY_HOME:-.}/config")
    Path configDir;

    @Override
    public Integer call() throws Exception {
        Path doorman = configDir.resolve("doorman.yml");
        if (!Files.isRegularFile(doorman)) {
            System.err.println("error: " + doorman + " not found; run from the Decency directory or pass --config-dir");
            return 2;
        }
        return DoormanCommand.run(doorman, null, null);
    }
}
