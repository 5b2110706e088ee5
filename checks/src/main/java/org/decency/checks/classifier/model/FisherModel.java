package org.decency.checks.classifier.model;

import org.decency.checks.engine.NothingLearnedException;
import org.decency.checks.engine.Trainable.Lesson;

/**
 * The counting model: how many spam and ham lessons each token was seen in ({@link
 * TokenStore}), combined by {@link FisherCombiner} as bogofilter does. A lesson counts once,
 * in any order, and forgetting undoes it exactly.
 */
public final class FisherModel implements SpamModel {
    private final TokenStore tokens;
    private final FisherCombiner combiner;

    public FisherModel(TokenStore tokens, FisherCombiner combiner) {
        this.tokens = tokens;
        this.combiner = combiner;
    }

    @Override
    public Counts totals(String model) {
        return tokens.totals(model);
    }

    @Override
    public Classification classify(String model, long[] mailTokens) {
        return combiner.combine(tokens.counts(model, mailTokens), tokens.totals(model));
    }

    @Override
    public void learn(String model, long[] mailTokens, Lesson lesson, boolean forget) throws NothingLearnedException {
        tokens.learn(model, mailTokens, lesson, forget);
    }
}
