package org.decency.checks.classifier.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccuracyTest {

    static Scored spam(double r) {
        return new Scored(true, r, r);
    }

    static Scored ham(double r) {
        return new Scored(false, r, r);
    }

    @Test
    void aucIsTheShareOfSpamHamPairsInOrderWithTiesCountingHalf() {
        assertThat(new Accuracy(List.of(spam(0.9), spam(0.8), ham(0.1), ham(0.2))).auc()).isEqualTo(1.0);
        assertThat(new Accuracy(List.of(spam(0.1), ham(0.9))).auc()).isEqualTo(0.0);
        // pairs: (0.9 vs 0.5, 0.2) 2 wins; (0.5 vs 0.5 tie, 0.2 win) 1.5 -> 3.5 / 4
        assertThat(new Accuracy(List.of(spam(0.9), spam(0.5), ham(0.5), ham(0.2))).auc()).isCloseTo(0.875, within(1e-12));
    }

    @Test
    void recallAtAFalsePositiveRateAllowsThatShareOfHamAbove() {
        List<Scored> s = new ArrayList<>();
        for (int i = 0; i < 1000; i++) s.add(ham(i / 1000.0));          // ham from 0 to 0.999
        for (int i = 0; i < 10; i++) s.add(spam(0.9995 + i / 100000.0)); // above every ham
        for (int i = 0; i < 10; i++) s.add(spam(0.9985));                // above all ham but the top one
        Accuracy a = new Accuracy(s);
        assertThat(a.spamRecallAtFalsePositives(0)).isEqualTo(0.5);
        assertThat(a.spamRecallAtFalsePositives(0.001)).isEqualTo(1.0);
    }

    @Test
    void confusionAtTheCutoffsWithAnUnsureBand() {
        Accuracy a = new Accuracy(List.of(spam(0.995), spam(0.6), ham(0.6), ham(0.1), ham(0.999)));
        assertThat(a.confusion(0.99, 0.2)).isEqualTo(new long[][]{{1, 1, 0}, {1, 1, 1}});
        assertThat(a.report(0.99, 0.2)).contains("AUC").contains("(1-AUC)%").contains("at 0.1% FP");
    }
}
