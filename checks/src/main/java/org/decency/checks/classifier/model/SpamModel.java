package org.decency.checks.classifier.model;

import org.decency.checks.engine.NothingLearnedException;
import org.decency.checks.engine.Trainable.Lesson;

/**
 * Classifies and learns mails, given as their token hashes (sorted, each once), in the
 * store: {@link LogisticModel} (the default) or {@link FisherModel}.
 */
public interface SpamModel {

    /** How many spam and ham lessons the model holds. */
    Counts totals(String model);

    Classification classify(String model, long[] mailTokens);

    /**
     * Learns the mail as {@code lesson}, or with {@code forget} takes that lesson back.
     *
     * @throws NothingLearnedException the mail was taught as {@code lesson} before (or, to forget, was not)
     */
    void learn(String model, long[] mailTokens, Lesson lesson, boolean forget) throws NothingLearnedException;

    /**
     * Another training pass over a mail already taught as {@code lesson} (decency train's
     * {@code passes}): a model that learns by steps takes one more; a counting model has
     * nothing to add (a lesson counts once).
     */
    default void relearn(String model, long[] mailTokens, Lesson lesson) {}
}
