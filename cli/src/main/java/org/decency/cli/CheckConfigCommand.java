package org.decency.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.decency.store.InMemoryStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code decency check-config FILE}: validates a config completely (every module's
 * settings included) without starting anything or writing any file. Exit 0 when valid,
 * 2 with one error line otherwise.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate a configuration file; prints one line per problem.")
final class CheckConfigCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "doorman.yml")
    Path file;

    @Override
    public Integer call() {
        Clock clock = Clock.systemUTC();
        var a = DoormanRunner.assemble(file, clock, sc -> new InMemoryStore(clock), null);
        a.warnings().forEach(w -> System.out.println("warning: " + w));
        a.store().close();
        System.out.println(file + ": OK (" + a.pipeline().pipeline().modules().size() + " modules: "
                + String.join(", ", a.pipeline().pipeline().modules().stream().map(m -> m.name()).toList()) + ")");
        return 0;
    }
}
