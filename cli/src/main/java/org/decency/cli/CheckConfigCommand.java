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
 * {@code decency check-config FILE}: validates a Doorman, Detective or Defender config completely (every module's
 * settings included) without starting anything or writing any file. Exit 0 when valid,
 * 2 with one error line otherwise.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate a configuration file; prints one line per problem.")
final class CheckConfigCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "doorman.yml, detective.yml or defender.yml (a config with doorman: or detective:"
            + " sections is a Defender's, one with spool_dir or reinject a Detective's)")
    Path file;

    @Override
    public Integer call() {
        Clock clock = Clock.systemUTC();
        List<String> warnings;
        Pipeline pipeline;
        String kind;
        if (DefenderRunner.isDefender(ConfigLoader.load(file))) {
            var a = DefenderRunner.assemble(file, clock, sc -> new InMemoryStore(clock), null);
            a.store().close();
            a.warnings().forEach(w -> System.out.println("warning: " + w));
            boolean proxy = a.settings().mode() == org.decency.defender.DefenderSettings.Mode.PREQUEUE;
            System.out.println(file + ": OK (Defender" + (proxy ? ", before-queue proxy" : "") + "; doorman at " + a.settings().doormanStages() + ": "
                    + names(a.doormanPipeline()) + "; detective: " + names(a.detectivePipeline()) + ")");
            return 0;
        }
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

    private static String names(Pipeline p) {
        return p.modules().size() + " modules" + (p.modules().isEmpty() ? "" : ": "
                + String.join(", ", p.modules().stream().map(Module::name).toList()));
    }

    private static boolean isDetective(Path file) {
        ConfigNode root = ConfigLoader.load(file);
        return root.child("spool_dir").isPresent() || root.child("reinject").isPresent();
    }
}
