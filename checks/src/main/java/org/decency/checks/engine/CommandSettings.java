package org.decency.checks.engine;

import org.decency.pipeline.OnFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.decency.checks.support.MessageSizeLimit;
import org.decency.config.ConfigNode;
import org.decency.pipeline.ModuleOptions;

/**
 * The settings every command-line engine module shares (the seeds' Cmd, Spam and User
 * roles): its commands {@code cmd_check}, {@code cmd_learn_spam}, {@code
 * cmd_unlearn_spam}, {@code cmd_learn_ham}, {@code cmd_unlearn_ham}; {@code default_user}
 * and {@code cmd_user}; the weights; {@code max_size}; {@code on_failure} (default skip);
 * {@code disable_train}; and the module's {@code timeout}, of which a command gets nine
 * tenths, so that a hung engine is killed and reported by the module itself before the
 * pipeline gives up on it.
 *
 * @param learnSpam   empty when the module has no such command (training it is off)
 * @param userIsPath  {@code default_user} names a file or folder: relative to the config file's folder
 */
public record CommandSettings(EngineCommand check, Optional<EngineCommand> learnSpam, Optional<EngineCommand> unlearnSpam,
                              Optional<EngineCommand> learnHam, Optional<EngineCommand> unlearnHam, EngineUser user,
                              SpamWeights weights, Duration timeout, MessageSizeLimit maxSize, OnFailure onFailure,
                              boolean trainingDisabled) {

    /** A module's default commands; null: the module has none (an empty config value turns one off too). */
    public record Defaults(String check, String learnSpam, String unlearnSpam, String learnHam, String unlearnHam) {}

    public static final String[] COMMAND_KEYS = {"cmd_check", "cmd_learn_spam", "cmd_unlearn_spam", "cmd_learn_ham", "cmd_unlearn_ham"};

    /**
     * Reads the shared keys.
     *
     * @param learns     false: the module never learns (its cmd_learn_* keys are not read)
     * @param userIsPath true: a relative {@code default_user} is taken from the config file's folder
     */
    public static CommandSettings read(ConfigNode n, Defaults d, boolean learns, boolean userIsPath) {
        EngineCommand check = EngineCommand.read(n, "cmd_check", d.check())
                .orElseThrow(() -> n.required("cmd_check").error("expected the command that checks a mail"));
        Optional<EngineCommand> ls = Optional.empty(), us = Optional.empty(), lh = Optional.empty(), uh = Optional.empty();
        boolean disabled = true;
        if (learns) {
            ls = EngineCommand.read(n, "cmd_learn_spam", d.learnSpam());
            us = EngineCommand.read(n, "cmd_unlearn_spam", d.unlearnSpam());
            lh = EngineCommand.read(n, "cmd_learn_ham", d.learnHam());
            uh = EngineCommand.read(n, "cmd_unlearn_ham", d.unlearnHam());
            disabled = n.bool("disable_train", false);
        }
        EngineUser user = EngineUser.read(n);
        if (userIsPath && !user.defaultUser().isEmpty()) {
            Path p = n.dir().resolve(user.defaultUser()).normalize();
            String s = p.toString();
            if (user.defaultUser().endsWith("/") && !s.endsWith("/")) s += "/";
            user = new EngineUser(s, user.cmdUser(), user.timeout());
        }
        Duration timeout = n.duration("timeout", ModuleOptions.DEFAULT_TIMEOUT);
        return new CommandSettings(check, ls, us, lh, uh, user, SpamWeights.read(n), timeout, MessageSizeLimit.read(n),
                OnFailure.read(n, OnFailure.SKIP), disabled);
    }

    /** How long one command may run: nine tenths of the module's timeout. */
    public Duration commandTimeout() {
        return Duration.ofMillis(Math.max(1, timeout.toMillis() * 9 / 10));
    }

    /** The command that teaches (or, with {@code forget}, unteaches) a lesson. */
    public Optional<EngineCommand> command(Trainable.Lesson lesson, boolean forget) {
        return switch (lesson) {
            case SPAM -> forget ? unlearnSpam : learnSpam;
            case HAM -> forget ? unlearnHam : learnHam;
        };
    }

    /** The config key of that command. */
    public static String key(Trainable.Lesson lesson, boolean forget) {
        return "cmd_" + (forget ? "unlearn_" : "learn_") + (lesson == Trainable.Lesson.SPAM ? "spam" : "ham");
    }
}
