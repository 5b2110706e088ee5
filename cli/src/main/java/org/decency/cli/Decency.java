package org.decency.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code decency}: the command line. Each sub-command is a class of its own. */
@Command(name = "decency", mixinStandardHelpOptions = true, version = "decency 0.1.0",
        description = "Anti-spam for Postfix: policy server (Doorman), content filter (Detective), milter (Defender).",
        subcommands = {StartCommand.class, DoormanCommand.class, DetectiveCommand.class, DefenderCommand.class, CheckConfigCommand.class,
                CheckMessageCommand.class, PolicyTestCommand.class, ListCommand.class, SpfCommand.class, KeygenCommand.class,
                DkimCommand.class, TrainCommand.class, EvalCommand.class, StatsCommand.class})
public final class Decency implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Decency());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            var err = cmd.getErr();
            boolean config = ex instanceof org.decency.config.ConfigException;
            err.println((config ? "config error: " : "error: ") + ex.getMessage());
            err.flush();
            return config ? 2 : 1;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
