package org.decency.checks.crm114;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.decency.checks.engine.CommandCheck;
import org.decency.checks.engine.EngineCommand;
import org.decency.checks.engine.SpamWeights;
import org.decency.checks.engine.Trainable;
import org.decency.core.Outcome;
import org.decency.core.Transaction;

/**
 * CRM114: each mail is piped to mailreaver ({@code --report_only}: it prints only its
 * header fields), and its {@code X-CRM114-Status} line (see {@link Crm114Status}) scored:
 * SPAM gives {@code weight_spam} and the flag {@code spam}, GOOD {@code weight_innocent},
 * UNSURE 0; with {@code weight_translate} CRM114's score is translated instead. The detail
 * is CRM114's line.
 *
 * <p>The user is a folder holding {@code mailfilter.cf}, {@code rewrites.mfp}, {@code
 * priolist.mfp} and the {@code spam.css} and {@code nonspam.css} files; a trailing
 * {@code /} is added (CRM114 puts {@code --fileprefix} in front of file names as it is).
 * Without {@code default_user} and {@code cmd_user} it is {@code <home>/.crm114/} of the
 * system account named as the recipient's local part.
 *
 * <p>Training runs mailfilter.crm's {@code --learnspam}, {@code --learnnonspam} with
 * {@code --force} (a lesson is always learnt, also when CRM114 already classifies the mail
 * right), and with {@code --unlearn} to forget. A lesson counts when mailfilter answers with
 * an {@code X-CRM114-Action} saying it learnt (or that there was nothing to learn); it
 * exits 0 even when it breaks, so its exit status says nothing.
 */
public final class Crm114Check extends CommandCheck implements Trainable {
    private final PasswdHomes homes;

    Crm114Check(String name, Crm114Config config, PasswdHomes homes) {
        super(name, config.settings());
        this.homes = homes;
    }

    @Override
    protected String user(Transaction tx) throws IOException {
        if (settings.user().defaultUser().isEmpty() && settings.user().cmdUser().isEmpty()) {
            if (tx.recipient() == null || tx.recipient().isNull()) return "";
            String raw = tx.recipient().raw();
            int at = raw.lastIndexOf('@');
            return homes.crm114Dir(at < 0 ? raw : raw.substring(0, at)).orElse("");
        }
        return folder(super.user(tx));
    }

    @Override
    protected String trainingUser(String given) {
        return folder(super.trainingUser(given));
    }

    private static String folder(String user) {
        return user.isEmpty() || user.endsWith("/") ? user : user + "/";
    }

    @Override
    protected Outcome verdict(EngineCommand.Result r) throws BadAnswer {
        Crm114Status s = Crm114Status.of(r);
        SpamWeights w = settings.weights();
        double score;
        if (w.translate() != null) {
            score = w.translate().translate(s.score().orElseThrow(() -> new BadAnswer("no score to translate in: " + s.line())));
        } else {
            score = switch (s.kind()) {
                case SPAM -> w.spam();
                case GOOD -> w.innocent();
                case UNSURE -> 0;
            };
        }
        Outcome o = Outcome.score(name, score, s.line());
        return s.kind() == Crm114Status.Kind.SPAM ? o.withFlag(SPAM_FLAG) : o;
    }

    /** mailfilter.crm exits 0 even when it breaks: the lesson counts when its X-CRM114-Action says so. */
    @Override
    protected String lessonProblem(EngineCommand.Result r) {
        if (r.exit() != 0) return Crm114Status.describe(r);
        List<String> actions = r.fields("X-CRM114-Action");
        String action = actions.isEmpty() ? "" : actions.getLast().toUpperCase(Locale.ROOT);
        if (action.contains("LEARNED") || action.contains("UNNECESSARY")) return null;
        return action.isEmpty() ? "no X-CRM114-Action in its answer (" + Crm114Status.describe(r) + ")" : actions.getLast();
    }

    @Override
    public void train(Path mail, String user, Lesson lesson, boolean forget) throws IOException {
        learn(mail, user, lesson, forget);
    }
}
