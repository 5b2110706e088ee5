package org.decency.checks.dspam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.decency.checks.engine.Trainable;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DSPAM: hands each mail to a DSPAM server over DLMTP, DSPAM's LMTP dialect, as the
 * original Decency did, and scores its verdict: spam gets {@code weight_spam} (and the
 * flag {@code spam}), innocent and whitelisted mail {@code weight_innocent}. DSPAM only
 * classifies here ({@code --classify}): it learns nothing from the mails it is asked
 * about, only from {@link #train} ({@code decency train}, HoneyCollector).
 *
 * <p>When DSPAM cannot be reached, refuses, answers too late or answers something that is
 * not a verdict, the module does what {@code on_failure} says (skip: 0; tempfail: the
 * mail is deferred).
 */
public final class DspamCheck implements Check, Trainable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DspamCheck.class);
    /** Set on a mail DSPAM calls spam. */
    public static final String SPAM_FLAG = "spam";

    private final String name;
    private final DspamConfig config;
    private final DspamClient client;

    DspamCheck(String name, DspamConfig config) {
        this.name = name;
        this.config = config;
        this.client = new DspamClient(config.endpoint(), config.ident(), config.lmtpTimeout());
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

    @Override
    public Outcome evaluate(Transaction tx, Evaluation run) {
        if (!tx.hasMessage()) return Outcome.nothing();
        if (config.maxSize().exceededBy(tx)) return Outcome.score(name, 0, config.maxSize().skipped(tx));
        String user;
        try {
            user = config.user().of(tx);
        } catch (IOException e) {
            return config.onFailure().outcome(name, "no DSPAM user for " + tx.recipient() + ": " + LmtpConnection.why(e));
        }
        if (user.isEmpty()) return Outcome.score(name, 0, "skipped: no user for DSPAM (no default_user and no recipient)");
        try {
            checkUser(user);
        } catch (DspamException e) {
            return Outcome.score(name, 0, "skipped: " + e.getMessage()); // not DSPAM's failure: deferring would not help
        }
        DspamVerdict verdict;
        try {
            verdict = DspamVerdict.of(client.exchange(ProcessMode.classify(), user, tx.message()::open));
        } catch (IOException e) {
            return config.onFailure().outcome(name, where() + ": " + LmtpConnection.why(e));
        }
        Outcome o = Outcome.score(name, config.weights().score(verdict.spam(), 0), verdict.detail());
        return verdict.spam() ? o.withFlag(SPAM_FLAG) : o;
    }

    /** The pipeline gave up on the module (its timeout, an exception): {@code on_failure} decides, as for DSPAM's own failures. */
    @Override
    public Outcome failed(String why) {
        return config.onFailure().outcome(name, where() + ": " + why);
    }

    /**
     * Teaches DSPAM: a lesson is corpus training in TEFT mode ({@code --mode=teft
     * --source=corpus --class=spam|innocent}, as the seeds did); forgetting it is DSPAM's
     * own correction of an error, a retraining to the other class ({@code --source=error
     * --class=innocent|spam}), which DSPAM accepts only for a mail carrying its
     * X-DSPAM-Signature, or with TrainPristine on.
     */
    @Override
    public void train(Path mail, String user, Lesson lesson, boolean forget) throws IOException {
        String who = user == null || user.isBlank() ? config.user().defaultUser() : user.strip();
        if (who.isEmpty()) throw new IOException(name + ": DSPAM needs a user to train: give one, or set default_user");
        try {
            checkUser(who);
        } catch (DspamException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
        String mode = forget ? ProcessMode.forget(lesson) : ProcessMode.learn(lesson);
        DspamAnswer answer;
        try {
            answer = client.exchange(mode, who, () -> Files.newInputStream(mail));
        } catch (IOException e) {
            throw new IOException(name + ": " + where() + ": " + LmtpConnection.why(e), e);
        }
        try {
            DspamVerdict v = DspamVerdict.of(answer);
            log.debug("{}: DSPAM trained {} for {} ({}): {}", name, mail, who, mode, v.detail());
        } catch (DspamException e) {
            if (answer.status() != null && answer.status().positive()) return; // accepted for delivery: trained
            throw new IOException(name + ": DSPAM did not take the lesson for " + mail.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The user goes into RCPT TO and becomes the name of DSPAM's data for it: no spaces,
     * quotes, backslashes or angle brackets, no {@code ..} or {@code /} (a path out of
     * DSPAM's data folder), and not starting with {@code -} or {@code @}, which DSPAM
     * refuses.
     */
    private static void checkUser(String user) throws DspamException {
        boolean ok = !user.startsWith("-") && !user.startsWith("@") && !user.contains("..") && user.length() <= 255;
        for (char c : user.toCharArray()) {
            if (c <= ' ' || c == '"' || c == '\\' || c == '<' || c == '>' || c == '/' || c == 0x7f) ok = false;
        }
        if (!ok) {
            throw new DspamException("the user \"" + Printable.cut(user, 80) + "\" cannot be passed to DSPAM (no spaces, quotes, "
                    + "backslashes, angle brackets, slashes or .., not starting with - or @)");
        }
    }

    private String where() {
        return "DSPAM at " + config.endpoint();
    }

    DspamClient client() {
        return client;
    }

    /** Closes the connections kept open for the next mails. */
    @Override
    public void close() {
        client.close();
    }

    /**
     * DSPAM's arguments for each use, passed as DSPAMPROCESSMODE (dspam(1)). The user is
     * not among them: it goes in RCPT TO, as DSPAM's own client sends it (README, "Client/
     * Server Mode"). DSPAM's server adds the users of RCPT TO and of a {@code --user} in
     * DSPAMPROCESSMODE alike, so the seeds' {@code --user <u>} made DSPAM process each mail
     * twice for the same user, and learn each lesson twice.
     */
    static final class ProcessMode {
        private ProcessMode() {}

        /** Classify only: DSPAM writes nothing to the user's data and answers with its summary line. */
        static String classify() {
            return "--classify --deliver=summary --stdout";
        }

        static String learn(Lesson lesson) {
            return "--mode=teft --source=corpus --class=" + dspamClass(lesson) + " --deliver=summary --stdout";
        }

        static String forget(Lesson lesson) {
            Lesson other = lesson == Lesson.SPAM ? Lesson.HAM : Lesson.SPAM;
            return "--source=error --class=" + dspamClass(other) + " --deliver=summary --stdout";
        }

        private static String dspamClass(Lesson lesson) {
            return lesson == Lesson.SPAM ? "spam" : "innocent";
        }
    }
}
