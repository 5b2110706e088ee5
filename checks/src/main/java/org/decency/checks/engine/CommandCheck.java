package org.decency.checks.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A content check that runs an engine's command line on each mail (Bogofilter, CRM114,
 * Razor): works out the user, runs {@code cmd_check} through {@link EngineCommand} and
 * leaves the reading of the answer to the module. A failure (the program missing, killed
 * at the timeout, an answer that is not one) goes to {@code on_failure}. A mail larger
 * than {@code max_size}, or without a usable user, is not looked at (0).
 *
 * <p>Modules whose engine learns implement {@link Trainable} with {@link #learn}.
 */
public abstract class CommandCheck implements Check {
    private static final Logger log = LoggerFactory.getLogger(CommandCheck.class);
    /** Set on a mail the engine calls spam. */
    public static final String SPAM_FLAG = "spam";

    protected final String name;
    protected final CommandSettings settings;

    protected CommandCheck(String name, CommandSettings settings) {
        this.name = name;
        this.settings = settings;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Stage> stages() {
        return Set.of(Stage.MESSAGE);
    }

    @Override
    public boolean blocking() {
        return true;
    }

    public CommandSettings settings() {
        return settings;
    }

    @Override
    public Outcome evaluate(Transaction tx, Evaluation run) {
        if (!tx.hasMessage()) return Outcome.nothing();
        if (settings.maxSize().exceededBy(tx)) return Outcome.score(name, 0, settings.maxSize().skipped(tx));
        EngineCommand cmd = settings.check();
        String user = "";
        if (cmd.usesUser()) {
            try {
                user = user(tx);
            } catch (IOException e) {
                return failure("no user for <" + recipient(tx) + ">: " + EngineCommand.reason(e));
            }
            if (user.isEmpty()) {
                return Outcome.score(name, 0, "skipped: no user for " + cmd.programName() + " (no default_user, cmd_user or recipient)");
            }
            String problem = EngineCommand.checkUser(user);
            if (problem != null) return Outcome.score(name, 0, "skipped: " + problem);
        }
        EngineCommand.Result r;
        try {
            r = cmd.run(tx.message()::open, user, settings.commandTimeout());
        } catch (IOException e) {
            return failure(EngineCommand.reason(e));
        }
        try {
            Outcome o = verdict(r);
            log.debug("{}: {} for {} answered in {} ms: {}", name, cmd.programName(), user, r.took().toMillis(), o.scores());
            return o;
        } catch (BadAnswer e) {
            return failure(e.getMessage());
        }
    }

    /** The pipeline gave up on the module (its timeout, an exception): {@code on_failure} decides. */
    @Override
    public Outcome failed(String why) {
        return failure(why);
    }

    protected Outcome failure(String what) {
        return settings.onFailure().outcome(name, settings.check().programName() + ": " + what);
    }

    /** Whose model the check uses for {@code tx} (the User role); empty when there is none. */
    protected String user(Transaction tx) throws IOException {
        return settings.user().of(tx);
    }

    /** The user training uses when {@code given} is empty. */
    protected String trainingUser(String given) {
        return given == null || given.isBlank() ? settings.user().defaultUser() : given.strip();
    }

    /** Turns the engine's answer into an outcome; {@link BadAnswer} when it is none. */
    protected abstract Outcome verdict(EngineCommand.Result r) throws BadAnswer;

    /** Null when the learn command's result says it learnt; else what went wrong. Default: exit status 0. */
    protected String lessonProblem(EngineCommand.Result r) {
        return r.exit() == 0 ? null : r.describe();
    }

    /**
     * Runs the command for the lesson on {@code mail} (see {@link Trainable#train}).
     *
     * @throws TrainingDisabledException with {@code disable_train: 1} or without a command for it
     */
    protected void learn(Path mail, String user, Trainable.Lesson lesson, boolean forget) throws IOException {
        if (settings.trainingDisabled()) throw new TrainingDisabledException(name + ": training is off (disable_train: 1)");
        String key = CommandSettings.key(lesson, forget);
        EngineCommand cmd = settings.command(lesson, forget)
                .orElseThrow(() -> new TrainingDisabledException(name + ": no " + key + " command"));
        String who = trainingUser(user);
        if (cmd.usesUser()) {
            if (who.isEmpty()) throw new IOException(name + ": " + key + " needs a user: set default_user or name one (--user)");
            String problem = EngineCommand.checkUser(who);
            if (problem != null) throw new IOException(name + ": " + problem);
        }
        EngineCommand.Result r;
        try {
            r = cmd.run(mail, who, settings.commandTimeout());
        } catch (IOException e) {
            throw new IOException(name + ": " + EngineCommand.reason(e), e);
        }
        String problem = lessonProblem(r);
        if (problem != null) throw new IOException(name + ": " + cmd.programName() + " did not take " + mail.getFileName() + ": " + problem);
        log.debug("{}: {} {} for {}: {}", name, key, mail, who, r.exit());
    }

    private static String recipient(Transaction tx) {
        return tx.recipient() == null ? "" : tx.recipient().raw();
    }

    /** The engine answered something that is not a verdict. */
    public static final class BadAnswer extends Exception {
        public BadAnswer(String message) {
            super(message);
        }
    }
}
