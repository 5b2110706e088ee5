package org.decency.checks.classifier.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FisherCombinerTest {
    final FisherCombiner fisher = FisherCombiner.defaults();
    final Counts totals = new Counts(100, 100);

    static long[] tokens(long spam, long ham, int n) {
        long[] t = new long[n];
        java.util.Arrays.fill(t, Counts.delta(spam, ham));
        return t;
    }

    @Test
    void spammyTokensGiveAHighProbabilityAndHammyALowOne() {
        assertThat(fisher.combine(tokens(20, 1, 10), totals).probability()).isGreaterThan(0.99);
        assertThat(fisher.combine(tokens(1, 20, 10), totals).probability()).isLessThan(0.01);
    }

    @Test
    void noTellingTokensIsHalfAndHalf() {
        Classification c = fisher.combine(new long[]{0, 0, Counts.delta(5, 5)}, totals);
        assertThat(c.probability()).isCloseTo(0.5, within(1e-9));
        assertThat(c.tokens()).isZero();
    }

    @Test
    void evidenceOnBothSidesIsUnsure() {
        long[] mixed = new long[20];
        for (int i = 0; i < 20; i++) mixed[i] = i % 2 == 0 ? Counts.delta(30, 1) : Counts.delta(1, 30);
        assertThat(fisher.combine(mixed, totals).probability()).isBetween(0.3, 0.7);
    }

    @Test
    void theRankKeepsOrderingWhereTheProbabilityIsOne() {
        Classification strong = fisher.combine(tokens(50, 0, 400), totals);
        Classification stronger = fisher.combine(tokens(50, 0, 800), totals);
        assertThat(strong.probability()).isEqualTo(stronger.probability());
        assertThat(stronger.rank()).isGreaterThan(strong.rank());
    }

    @Test
    void chiSquareTailMatchesKnownValues() {
        // P(chi2 with 2 df >= x) = e^(-x/2); with 4 df = e^(-x/2) (1 + x/2)
        assertThat(Math.exp(ChiSquare.logUpperTail(3, 1))).isCloseTo(Math.exp(-1.5), within(1e-12));
        assertThat(Math.exp(ChiSquare.logUpperTail(3, 2))).isCloseTo(Math.exp(-1.5) * 2.5, within(1e-12));
        assertThat(ChiSquare.logUpperTail(20000, 10)).as("no underflow").isFinite().isLessThan(-9000);
    }
}
