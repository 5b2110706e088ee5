package org.decency.checks.classifier.model;

import org.decency.checks.engine.NothingLearnedException;
import org.decency.checks.engine.Trainable.Lesson;

/** Classifies and learns mails, given as their token hashes, with the counts of a {@link TokenStore}. */
public final class SpamModel {
    private final TokenStore tokens;
    private final FisherCombiner combiner;

    public SpamModel(TokenStore tokens, FisherCombiner combiner) {
        this.tokens = tokens;
        this.combiner = combiner;
    }

    public Counts totals(String model) {
        return tokens.totals(model);
    }

    public Classification classify(String model, long[] mailTokens) {
        return combiner.combine(tokens.counts(model, mailTokens), tokens.totals(model));
    }

    public void learn(String model, long[] mailTokens, Lesson lesson, boolean forget) throws NothingLearnedException {
        tokens.learn(model, mailTokens, lesson, forget);
    }
}
