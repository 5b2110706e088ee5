package org.decency.checks.bogofilter;

import java.io.IOException;
import java.nio.file.Path;
import org.decency.checks.engine.CommandCheck;
import org.decency.checks.engine.EngineCommand;
import org.decency.checks.engine.SpamWeights;
import org.decency.checks.engine.Trainable;
import org.decency.core.Outcome;

/**
 * Bogofilter: each mail is piped to {@code bogofilter -v} with the user's word list, and
 * its {@code X-Bogosity} line (see {@link Bogosity}) scored: Spam gives {@code
 * weight_spam} and the flag {@code spam}, Ham {@code weight_innocent}, Unsure 0; with
 * {@code apply_spamicity} the weights are scaled by the spamicity (spam) or one minus it
 * (ham), with {@code weight_translate} the spamicity is translated instead. The detail is
 * bogofilter's line. Training runs {@code -s}, {@code -n} and, to forget, {@code -S},
 * {@code -N}.
 */
public final class BogofilterCheck extends CommandCheck implements Trainable {
    private final boolean applySpamicity;

    BogofilterCheck(String name, BogofilterConfig config) {
        super(name, config.settings());
        this.applySpamicity = config.applySpamicity();
    }

    @Override
    protected Outcome verdict(EngineCommand.Result r) throws BadAnswer {
        Bogosity b = Bogosity.of(r);
        SpamWeights w = settings.weights();
        double score;
        if (w.translate() != null) {
            double spamicity = b.spamicity().orElseThrow(() -> new BadAnswer("no spamicity to translate in: " + b.line()));
            score = w.translate().translate(spamicity);
        } else {
            score = switch (b.kind()) {
                case SPAM -> w.spam() * (applySpamicity ? b.spamicity().orElse(1.0) : 1);
                case HAM -> w.innocent() * (applySpamicity ? 1 - b.spamicity().orElse(0.0) : 1);
                case UNSURE -> 0;
            };
        }
        Outcome o = Outcome.score(name, score, b.line());
        return b.kind() == Bogosity.Kind.SPAM ? o.withFlag(SPAM_FLAG) : o;
    }

    @Override
    public void train(Path mail, String user, Lesson lesson, boolean forget) throws IOException {
        learn(mail, user, lesson, forget);
    }
}
