package org.decency.checks.classifier.model;

import org.decency.checks.engine.NothingLearnedException;
import org.decency.checks.engine.Trainable.Lesson;
import org.decency.store.Store;
import java.time.Duration;

/**
 * Online logistic regression over the mail's binary features, as the best filters of the
 * TREC spam tracks (Goodman and Yih 2006; Cormack): each token has a weight, a mail's score
 * is {@code z = Σ w / √n} over its {@code n} tokens (the features scaled to unit length) and
 * its spam probability {@code 1 / (1 + e^-z)}. A lesson is one gradient step: every token of
 * the mail moves by {@code rate · (y - p) / √n} ({@code y} 1 for spam, 0 for ham), unless the
 * mail is already on the right side by more than {@code margin} (train on error with a thick
 * threshold, as CRM114 and DSPAM's TOE). Correlated tokens (a word and the pairs it is in,
 * the many words of a long mail) are weighed together, not counted as independent evidence
 * as Fisher's method does.
 *
 * <p>Unlike counts, the steps depend on the order of the lessons: {@code decency train}
 * mixes the spam and ham it is given in one call and makes {@code passes} passes over them
 * (later passes through {@link #relearn}); lessons that come one at a time (HoneyCollector,
 * auto-learning, corrections) take one step each. Forgetting a mail takes back the steps
 * taken for it (the steps of other mails that followed it stay).
 */
public final class LogisticModel implements SpamModel {

    /**
     * @param rate   the learning rate
     * @param passes training passes over the mails of one {@code decency train} call (and of decency eval's training folds)
     * @param margin no step for a mail whose score is already this far on the right side (0: a step for every lesson)
     */
    public record Settings(double rate, int passes, double margin) {
        public static Settings defaults() {
            return new Settings(2, 10, 0.5);
        }
    }

    private final WeightStore weights;
    private final Settings settings;

    public LogisticModel(Store store, String prefix, Duration ttl, Settings settings) {
        this.weights = new WeightStore(store, prefix, ttl);
        this.settings = settings;
    }

    @Override
    public Counts totals(String model) {
        return weights.totals(model);
    }

    @Override
    public Classification classify(String model, long[] mailTokens) {
        WeightStore.Sum sum = weights.sum(model, mailTokens);
        double z = mailTokens.length == 0 ? 0 : sum.weight() / Math.sqrt(mailTokens.length);
        return new Classification(1 / (1 + Math.exp(-z)), z, sum.known());
    }

    @Override
    public void learn(String model, long[] mailTokens, Lesson lesson, boolean forget) throws NothingLearnedException {
        String mail = TokenStore.mailId(mailTokens);
        var before = weights.taught(model, mail);
        if (forget) {
            if (before.isEmpty() || before.get() != lesson) {
                throw new NothingLearnedException("this mail was not taught as " + name(lesson) + " to the model " + model);
            }
            takeBack(model, mailTokens, mail);
            weights.unmark(model, mail);
            count(model, lesson, -1);
            return;
        }
        if (before.isPresent() && before.get() == lesson) {
            throw new NothingLearnedException("this mail was taught as " + name(lesson) + " to the model " + model + " before");
        }
        if (before.isPresent()) { // taught as the other class: its steps are taken back, the lesson moves
            takeBack(model, mailTokens, mail);
            weights.mark(model, mail, lesson);
            count(model, before.get(), -1);
        } else if (!weights.markNew(model, mail, lesson)) {
            throw new NothingLearnedException("this mail is being taught to the model " + model + " already");
        }
        count(model, lesson, 1);
        step(model, mailTokens, mail, lesson);
    }

    @Override
    public void relearn(String model, long[] mailTokens, Lesson lesson) {
        String mail = TokenStore.mailId(mailTokens);
        if (weights.taught(model, mail).orElse(null) == lesson) step(model, mailTokens, mail, lesson);
    }

    private void step(String model, long[] mailTokens, String mail, Lesson lesson) {
        if (mailTokens.length == 0) return;
        double z = classify(model, mailTokens).rank();
        double y = lesson == Lesson.SPAM ? 1 : 0;
        if ((lesson == Lesson.SPAM ? z : -z) > settings.margin()) return;
        double gradient = settings.rate() * (y - 1 / (1 + Math.exp(-z))) / Math.sqrt(mailTokens.length);
        long delta = Math.round(gradient * WeightStore.SCALE);
        if (delta != 0) weights.add(model, mailTokens, mail, delta);
    }

    private void takeBack(String model, long[] mailTokens, String mail) {
        long steps = weights.steps(model, mail);
        if (steps != 0) weights.add(model, mailTokens, mail, -steps);
    }

    private void count(String model, Lesson lesson, long n) {
        weights.count(model, lesson == Lesson.SPAM ? n : 0, lesson == Lesson.HAM ? n : 0);
    }

    private static String name(Lesson l) {
        return l == Lesson.SPAM ? "spam" : "ham";
    }
}
