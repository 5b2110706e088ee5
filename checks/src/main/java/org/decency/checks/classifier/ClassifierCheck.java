package org.decency.checks.classifier;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.decency.checks.classifier.model.Classification;
import org.decency.checks.classifier.model.Counts;
import org.decency.checks.classifier.model.SpamModel;
import org.decency.checks.classifier.tokenizer.MailTokenizer;
import org.decency.checks.engine.NothingLearnedException;
import org.decency.checks.engine.Trainable;
import org.decency.checks.engine.TrainingDisabledException;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decency's own learning filter: the mail's features ({@link MailTokenizer}) looked up in
 * the user's model in the store and combined into a spam probability ({@link SpamModel}).
 * At or above {@code spam_cutoff} the mail scores {@code weight_spam} and is flagged {@code
 * spam}, below {@code ham_cutoff} {@code weight_innocent}, in between (unsure) 0; or with
 * {@code weight_translate} the probability by steps. A model that has learnt fewer than
 * {@code min_learned} spam or ham counts 0 and says so. Learns through {@code decency train},
 * HoneyCollector's catch and, with {@code auto_learn}, from verdicts far beyond the threshold.
 */
public final class ClassifierCheck implements Check, Trainable {
    public static final String SPAM_FLAG = "spam";
    private static final Logger log = LoggerFactory.getLogger(ClassifierCheck.class);

    private final String name;
    private final ClassifierConfig config;
    private final MailTokenizer tokenizer;
    private final SpamModel model;

    ClassifierCheck(String name, ClassifierConfig config, SpamModel model) {
        this.name = name;
        this.config = config;
        this.tokenizer = config.tokenizer();
        this.model = model;
    }

    @Override
    public String name() {
        return name;
    }

    /** The module's settings (decency eval measures with them). */
    public ClassifierConfig config() {
        return config;
    }

    @Override
    public Set<Stage> stages() {
        return Set.of(Stage.MESSAGE);
    }

    /** Reading the mail and the store is work off the event loop (and a shared store is a network call). */
    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public Outcome evaluate(Transaction tx, Evaluation run) {
        if (!tx.hasMessage()) return Outcome.nothing();
        if (config.maxSize().exceededBy(tx)) return Outcome.score(name, 0, config.maxSize().skipped(tx));
        try {
            String user = config.user().of(tx);
            if (user.isEmpty()) return Outcome.score(name, 0, "skipped: no model (no default_user, cmd_user or recipient)");
            long[] tokens = tokens(tx);
            Counts learnt = model.totals(user);
            if (learnt.spam() < config.minLearned() || learnt.ham() < config.minLearned()) {
                String why = "model " + user + " has learnt " + learnt.spam() + " spam and " + learnt.ham() + " ham, needs "
                        + config.minLearned() + " of each";
                log.debug("id={} module={}: {}", tx.id(), name, why);
                return Outcome.score(name, 0, why);
            }
            Classification c = model.classify(user, tokens);
            Outcome o = outcome(c, user);
            log.debug("id={} module={}: {}", tx.id(), name, o.scores());
            return c.probability() >= config.spamCutoff() ? o.withFlag(SPAM_FLAG) : o;
        } catch (IOException | StoreException e) {
            return failure(e.getMessage());
        }
    }

    private Outcome outcome(Classification c, String user) {
        double p = c.probability();
        String kind = p >= config.spamCutoff() ? "Spam" : p < config.hamCutoff() ? "Ham" : "Unsure";
        double score = config.weights().translate() != null ? config.weights().translate().translate(p)
                : kind.equals("Spam") ? config.weights().spam() : kind.equals("Ham") ? config.weights().innocent() : 0;
        return Outcome.score(name, score, String.format(Locale.ROOT, "%s, spamicity=%.6f, tokens=%d, model=%s", kind, p, c.tokens(), user));
    }

    @Override
    public Outcome failed(String why) {
        return failure(why);
    }

    private Outcome failure(String why) {
        return config.onFailure().outcome(name, why);
    }

    private long[] tokens(Transaction tx) throws IOException {
        try (InputStream in = tx.message().open()) {
            return tokenizer.tokenize(in).hashes();
        }
    }

    /**
     * Learns the mail into {@code user}'s model, or the module's {@code default_user}'s.
     *
     * @throws NothingLearnedException the mail was taught as that before (or, to forget, was not)
     */
    @Override
    public void train(Path mail, String user, Lesson lesson, boolean forget) throws IOException {
        if (config.disableTrain()) throw new TrainingDisabledException("disable_train is set");
        String who = user == null || user.isEmpty() ? config.user().defaultUser() : user;
        if (who.isEmpty()) throw new IOException("no model to teach: default_user is empty (one model per recipient); name one with --user");
        long[] tokens;
        try (InputStream in = Files.newInputStream(mail)) {
            tokens = tokenizer.tokenize(in).hashes();
        }
        try {
            model.learn(who, tokens, lesson, forget);
        } catch (StoreException e) {
            throw new IOException(e.getMessage(), e);
        }
        log.debug("module={}: {} {} as {} for model {}", name, forget ? "forgot" : "learnt", mail, lesson, who);
    }

    /**
     * Another pass over a mail {@link #train} taught as {@code lesson} (decency train makes
     * {@code passes} of them over the mails of one call); nothing for a mail not taught so.
     */
    public void relearn(Path mail, String user, Lesson lesson) throws IOException {
        relearn(features(mail), user, lesson);
    }

    /** The same with the mail's {@link #features}, read once for all the passes. */
    public void relearn(long[] features, String user, Lesson lesson) throws IOException {
        if (config.disableTrain()) return;
        String who = user == null || user.isEmpty() ? config.user().defaultUser() : user;
        if (who.isEmpty()) return;
        try {
            model.relearn(who, features, lesson);
        } catch (StoreException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** What the model learns of a mail file: its features' hashes. */
    public long[] features(Path mail) throws IOException {
        try (InputStream in = Files.newInputStream(mail)) {
            return tokenizer.tokenize(in).hashes();
        }
    }

    @Override
    public boolean keepsLessonsInStore() {
        return true;
    }

    /**
     * With {@code auto_learn}: a mail the other modules found far beyond the threshold is
     * learnt. This module's own score is left out of that total, or the model would
     * confirm itself.
     */
    @Override
    public void decided(Transaction tx, Verdict verdict) {
        if (!config.autoLearn() || !tx.hasMessage() || config.maxSize().exceededBy(tx)) return;
        double others = verdict.total();
        for (Score s : verdict.scores()) if (s.code().equals(name)) others -= s.delta();
        Lesson lesson = others <= config.autoLearnSpam() ? Lesson.SPAM : others >= config.autoLearnHam() ? Lesson.HAM : null;
        if (lesson == null) return;
        try {
            String user = config.user().of(tx);
            if (user.isEmpty()) return;
            model.learn(user, tokens(tx), lesson, false);
            log.debug("id={} module={}: auto-learnt as {} for model {} (the other modules' total {})", tx.id(), name, lesson, user, others);
        } catch (NothingLearnedException e) {
            log.debug("id={} module={}: not auto-learnt: {}", tx.id(), name, e.getMessage());
        } catch (IOException | StoreException e) {
            log.warn("id={} module={}: auto-learning failed: {}", tx.id(), name, e.getMessage());
        }
    }
}
