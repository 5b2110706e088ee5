package org.decency.checks.engine;

import org.decency.config.ConfigNode;

/**
 * The seeds' weights of a spam engine's verdict: {@code weight_innocent} (default 10) for
 * a mail the engine calls ham, {@code weight_spam} (default -50) for spam, and the optional
 * {@code weight_translate} table that turns the engine's own score into Decency's instead.
 */
public record SpamWeights(double innocent, double spam, WeightTranslate translate) {

    public static SpamWeights read(ConfigNode module) {
        double innocent = module.number("weight_innocent", 10);
        double spam = module.number("weight_spam", -50);
        if (spam > 0) throw module.required("weight_spam").error("spam scores are negative in Decency, got " + spam);
        if (innocent < 0) throw module.required("weight_innocent").error("expected 0 or more, got " + innocent);
        return new SpamWeights(innocent, spam, WeightTranslate.read(module));
    }

    /** The score for a verdict: the translated engine score when a table is set, else the weight of the class. */
    public double score(boolean isSpam, double engineScore) {
        if (translate != null) return translate.translate(engineScore);
        return isSpam ? spam : innocent;
    }
}
