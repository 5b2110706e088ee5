package org.decency.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.pipeline.Module;
import org.decency.pipeline.Pipeline;
import org.decency.store.InMemoryStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code decency check-config FILE}: validates a Doorman or Detective config completely (every module's
 * settings included) without starting anything or writing any file. Exit 0 when valid,
 * 2 with one error line otherwise.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate a configuration file; prints one line per problem.")
final class CheckConfigCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "doorman.yml or detective.yml (a config with spool_dir or reinject is a Detective's)")
    Path file;

    @Override
    public Integer call() {
        Clock clock = Clock.systemUTC();
        List<String> warnings;
        Pipeline pipeline;
        String kind;
        if (isDetective(file)) {
            var a = DetectiveRunner.assemble(file, clock, sc -> new InMemoryStore(clock), null);
            a.store().close();
            warnings = a.warnings();
            pipeline = a.pipeline().pipeline();
            kind = "Detective";
        } else {
            var a = DoormanRunner.assemble(file, clock, sc -> new InMemoryStore(clock), null);
            a.store().close();
            warnings = a.warnings();
            pipeline = a.pipeline().pipeline();
            kind = "Doorman";
        }
        warnings.forEach(w -> System.out.println("warning: " + w));
        System.out.println(file + ": OK (" + kind + ", " + pipeline.modules().size() + " modules: "
                + String.join(", ", pipeline.modules().stream().map(Module::name).toList()) + ")");
        return 0;
    }

    private static boolean isDetective(Path file) {
        ConfigNode root = ConfigLoader.load(file);
        return root.child("spool_dir").isPresent() || root.child("reinject").isPresent();
    }
}
