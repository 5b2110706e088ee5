package org.decency.checks.plausibility;

import java.util.ArrayList;
import java.util.List;
import org.decency.checks.support.ScoreCodes;
import org.decency.core.Outcome;
import org.decency.core.Score;

/** Collects the rules that fired, each as its own score (weight times factor), into the check's outcome. */
final class Findings {
    private final String moduleName;
    private final String usualName;
    private final PlausibilityConfig config;
    private final List<Score> scores = new ArrayList<>();

    Findings(String moduleName, String usualName, PlausibilityConfig config) {
        this.moduleName = moduleName;
        this.usualName = usualName;
        this.config = config;
    }

    /** Records that {@code rule} applies; scores it unless its weight is 0. */
    void add(PlausibilityRule rule, String detail) {
        double w = config.weight(rule);
        if (w != 0) scores.add(new Score(ScoreCodes.of(moduleName, usualName, rule.name()), w * config.factor(), detail));
    }

    /**
     * The outcome: every score, plus a 0 under the module's name saying which questions went
     * unanswered (the rules needing them were skipped) or, when nothing fired, that all is plausible.
     */
    Outcome outcome(List<String> unanswered) {
        List<Score> all = new ArrayList<>(scores);
        if (!unanswered.isEmpty()) {
            all.add(new Score(moduleName, 0, "DNS did not answer (" + String.join(", ", unanswered)
                    + "); the rules needing these answers were skipped"));
        } else if (all.isEmpty()) {
            all.add(new Score(moduleName, 0, "plausible"));
        }
        Outcome o = Outcome.scores(all);
        boolean spammy = scores.stream().anyMatch(s -> s.delta() < 0);
        return spammy && !config.rejectMessage().isEmpty() ? o.withMessage(config.rejectMessage()) : o;
    }
}
