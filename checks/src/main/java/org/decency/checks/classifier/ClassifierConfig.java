package org.decency.checks.classifier;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.decency.checks.classifier.model.FisherCombiner;
import org.decency.checks.classifier.model.FisherModel;
import org.decency.checks.classifier.model.LogisticModel;
import org.decency.checks.classifier.model.SpamModel;
import org.decency.checks.classifier.model.TokenStore;
import org.decency.checks.classifier.tokenizer.MailTokenizer;
import org.decency.pipeline.OnFailure;
import org.decency.checks.engine.EngineUser;
import org.decency.checks.engine.SpamWeights;
import org.decency.checks.support.ByteSizes;
import org.decency.checks.support.MessageSizeLimit;
import org.decency.config.ConfigNode;
import org.decency.store.Store;

/**
 * The settings of a Classifier module. Example with the defaults:
 *
 * <pre>{@code
 * - Classifier:
 *     default_user: global    # the model every mail is classified with; "" for one per recipient
 *     # cmd_user: ""          #   (or per what cmd_user prints for the recipient)
 *     weight_innocent: 10     # the spam probability is below ham_cutoff
 *     weight_spam: -50        # at or above spam_cutoff (also flags the mail spam); in between: 0
 *     # weight_translate: {0.4: 10, 0.5: 0, 0.6: -20, 1: -50}   # or steps over the spam probability
 *     spam_cutoff: 0.6        # (0.99 with model: fisher)
 *     ham_cutoff: 0.45
 *     min_learned: 10         # a model answers once it learnt this many spam and this many ham
 *     token_ttl: 90d          # a token no lesson used for this long is forgotten
 *     auto_learn: 0           # 1: learn from the Detective's own verdicts, far beyond the threshold:
 *     auto_learn_spam: -100   #   spam when the other modules' total is at or below this
 *     auto_learn_ham: 40      #   ham when it is at or above this
 *     disable_train: 0        # 1: decency train leaves the module out
 *     max_size: 1m            # larger mails are not looked at (0: no limit)
 *     on_failure: skip        # the store is down: skip (0) or tempfail (defer the mail)
 *     # the model; change only with decency eval's figures at hand (docs/ACCURACY.md):
 *     model: logistic         # logistic: online logistic regression; fisher: token counts and Fisher's method (bogofilter's)
 *     osb_window: 1           # words per orthogonal-sparse-bigram window (1: single words)
 *     learning_rate: 2        # logistic: how far one lesson moves the weights
 *     passes: 10              # logistic: passes over the mails of one decency train call
 *     margin: 0.5             # logistic: no step for a mail already this far on the right side
 *     robs: 0.0178            # fisher: Robinson's strength of the prior
 *     robx: 0.52              # fisher: the prior spam probability of a token
 *     min_dev: 0.375          # fisher: tokens closer than this to 0.5 are ignored
 *     max_tokens: 0           # fisher: only the most telling tokens count (0: all)
 * }</pre>
 */
public record ClassifierConfig(EngineUser user, SpamWeights weights, double spamCutoff, double hamCutoff, int minLearned,
                               Duration tokenTtl, boolean autoLearn, double autoLearnSpam, double autoLearnHam,
                               boolean disableTrain, MessageSizeLimit maxSize, OnFailure onFailure,
                               int osbWindow, Kind kind, LogisticModel.Settings logistic, FisherCombiner combiner) {

    public static final String DEFAULT_MODEL = "global";
    /** spam_cutoff's default with {@code model: fisher} (bogofilter's); the logistic model's is 0.6. */
    public static final double FISHER_SPAM_CUTOFF = 0.99;

    /** Which model learns and classifies (key {@code model}). */
    public enum Kind { LOGISTIC, FISHER }

    public static ClassifierConfig defaults() {
        return new ClassifierConfig(new EngineUser(DEFAULT_MODEL, List.of(), Duration.ofSeconds(5)),
                new SpamWeights(10, -50, null), 0.6, 0.45, 10, Duration.ofDays(90), false, -100, 40, false,
                new MessageSizeLimit(1024 * 1024), OnFailure.SKIP, 1, Kind.LOGISTIC,
                LogisticModel.Settings.defaults(), FisherCombiner.defaults());
    }

    public static ClassifierConfig from(ConfigNode n) {
        ClassifierConfig d = defaults();
        EngineUser u = EngineUser.read(n);
        if (!n.has("default_user")) u = new EngineUser(DEFAULT_MODEL, u.cmdUser(), u.timeout());
        Kind kind = switch (n.string("model", d.kind().name().toLowerCase(Locale.ROOT))) {
            case "logistic" -> Kind.LOGISTIC;
            case "fisher" -> Kind.FISHER;
            default -> throw n.required("model").error("expected logistic or fisher");
        };
        // the logistic model's probabilities stay between about 0.1 and 0.9 (its steps stop at the margin)
        double spamCutoff = probability(n, "spam_cutoff", kind == Kind.FISHER ? FISHER_SPAM_CUTOFF : d.spamCutoff());
        double hamCutoff = probability(n, "ham_cutoff", d.hamCutoff());
        if (hamCutoff > spamCutoff) throw n.required("ham_cutoff").error("must not be above spam_cutoff (" + spamCutoff + ")");
        int minLearned = n.integer("min_learned", d.minLearned());
        if (minLearned < 1) throw n.required("min_learned").error("expected 1 or more");
        Duration ttl = n.duration("token_ttl", d.tokenTtl());
        if (ttl.toHours() < 1) throw n.required("token_ttl").error("expected an hour or more, e.g. 90d");
        double spamAt = n.number("auto_learn_spam", d.autoLearnSpam());
        double hamAt = n.number("auto_learn_ham", d.autoLearnHam());
        if (spamAt >= hamAt) throw n.required("auto_learn_spam").error("must be below auto_learn_ham (" + hamAt + ")");
        int window = n.integer("osb_window", d.osbWindow());
        if (window < 1 || window > 8) throw n.required("osb_window").error("expected 1 to 8");
        LogisticModel.Settings l = d.logistic();
        double rate = n.number("learning_rate", l.rate());
        if (rate <= 0) throw n.required("learning_rate").error("expected more than 0");
        int passes = n.integer("passes", l.passes());
        if (passes < 1 || passes > 100) throw n.required("passes").error("expected 1 to 100");
        double margin = n.number("margin", l.margin());
        if (margin < 0) throw n.required("margin").error("expected 0 or more");
        FisherCombiner c = d.combiner();
        double robs = n.number("robs", c.s());
        if (robs <= 0) throw n.required("robs").error("expected more than 0");
        double robx = probability(n, "robx", c.x());
        double minDev = n.number("min_dev", c.minDev());
        if (minDev < 0 || minDev >= 0.5) throw n.required("min_dev").error("expected 0 up to 0.5");
        int maxTokens = n.integer("max_tokens", c.maxTokens());
        if (maxTokens < 0) throw n.required("max_tokens").error("expected 0 (all) or more");
        return new ClassifierConfig(u, SpamWeights.read(n), spamCutoff, hamCutoff, minLearned, ttl, n.bool("auto_learn", false),
                spamAt, hamAt, n.bool("disable_train", false),
                new MessageSizeLimit(ByteSizes.read(n, "max_size", d.maxSize().maxBytes())), OnFailure.read(n, OnFailure.SKIP),
                window, kind, new LogisticModel.Settings(rate, passes, margin), new FisherCombiner(robs, robx, minDev, maxTokens));
    }

    /** The model, its keys in {@code store} starting with {@code prefix}. */
    public SpamModel model(Store store, String prefix) {
        return switch (kind) {
            case LOGISTIC -> new LogisticModel(store, prefix + "w:", tokenTtl, logistic);
            case FISHER -> new FisherModel(new TokenStore(store, prefix, tokenTtl), combiner);
        };
    }

    /** The same settings with the other kind of model: where a model learnt before a change of {@code model:} is. */
    public ClassifierConfig otherKind() {
        return new ClassifierConfig(user, weights, spamCutoff, hamCutoff, minLearned, tokenTtl, autoLearn, autoLearnSpam, autoLearnHam,
                disableTrain, maxSize, onFailure, osbWindow, kind == Kind.LOGISTIC ? Kind.FISHER : Kind.LOGISTIC, logistic, combiner);
    }

    /** Training passes over the mails of one decency train call (1 for a counting model: a lesson counts once). */
    public int passes() {
        return kind == Kind.LOGISTIC ? logistic.passes() : 1;
    }

    public MailTokenizer tokenizer() {
        return new MailTokenizer(osbWindow, 256 * 1024, 100);
    }

    private static double probability(ConfigNode n, String key, double def) {
        double v = n.number(key, def);
        if (v < 0 || v > 1) throw n.required(key).error("expected a probability from 0 to 1, got " + v);
        return v;
    }
}
