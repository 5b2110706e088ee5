package org.decency.checks.awl;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;
import org.decency.core.Evaluation;
import org.decency.core.FinalWord;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.core.Stage;
import org.decency.core.Transaction;

/**
 * Module {@code Probe}, for tests only: it stands for "the other checks". It scores what the
 * transaction's attribute {@code probe_score} says and, given {@code probe_answer} (REJECT,
 * DEFER, 450, 550, ...), ends the run with that answer, so every kind of verdict can be made.
 */
final class ProbeFactory implements CheckFactory {
    static final String SCORE = "probe_score";
    static final String ANSWER = "probe_answer";

    @Override
    public String moduleName() {
        return "Probe";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        config.finish();
        return new Check() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Set<Stage> stages() {
                return EnumSet.allOf(Stage.class);
            }

            @Override
            public Outcome evaluate(Transaction tx, Evaluation run) {
                double score = Double.parseDouble(tx.attributes().getOrDefault(SCORE, "0"));
                String answer = tx.attributes().get(ANSWER);
                FinalWord word = answer == null ? null : FinalWord.parse(answer, "probe says no");
                return new Outcome(List.of(new Score(name, score, "")), "", List.of(), word);
            }
        };
    }
}
