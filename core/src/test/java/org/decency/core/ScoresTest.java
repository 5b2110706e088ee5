package org.decency.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Score numbers as they appear in logs and headers, and the verdict's score line. */
class ScoresTest {

    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource({
            "0, 0",
            "-0.0, 0",
            "2.0, 2",
            "-100, -100",
            "-3.5, -3.5",
            "0.25, 0.25",
            "-0.125, -0.125",
            "1e20, 100000000000000000000",
            "1e-3, 0.001",
            "123456.75, 123456.75",
            "-2.1234567, -2.123457",
            "1e-9, 0",
            "-1e-9, 0",
            "-Infinity, -inf",
            "Infinity, inf",
            "NaN, nan",
    })
    void numbersHaveNoTrailingZerosAndNoExponent(double value, String text) {
        assertThat(Scores.format(value)).isEqualTo(text);
    }

    @Test
    void binaryNoiseFromScalingIsNotShown() {
        assertThat(Scores.format(-3 * 1.1)).isEqualTo("-3.3");
        assertThat(Scores.format(0.1 + 0.2)).isEqualTo("0.3");
        assertThat(Scores.format(-7 * 0.7)).isEqualTo("-4.9");
        assertThat(new Score("DNSBL", -3, "").scaled(1.1).brief()).isEqualTo("DNSBL=-3.3");
    }

    @Test
    void aScoreIsWrittenCodeEqualsNumber() {
        assertThat(new Score("BASIC_HELO_NOT_FQDN", -3.5, null).brief()).isEqualTo("BASIC_HELO_NOT_FQDN=-3.5");
        assertThat(new Score("CWL", 0, null).detail()).isEmpty();
    }

    @Test
    void scalingByOneKeepsTheScoreAndOtherFactorsMultiply() {
        Score s = new Score("CBL", -20, "listed");

        assertThat(s.scaled(1.0)).isSameAs(s);
        assertThat(s.scaled(0.5)).isEqualTo(new Score("CBL", -10, "listed"));
        assertThat(s.scaled(0)).isEqualTo(new Score("CBL", -0.0, "listed"));
    }

    @Test
    void theVerdictsBriefScoresListEveryPartialScoreInOrder() {
        Verdict v = new Verdict(Action.REJECT, "x", -103.5, -100,
                List.of(new Score("CWL", 0, ""), new Score("CBL", -100, "hit"), new Score("Basic", -3.5, "")),
                Set.of("cbl"), "CBL");

        assertThat(v.briefScores()).isEqualTo("CWL=0 CBL=-100 Basic=-3.5");
        assertThat(Verdict.of(Action.DUNNO, null).briefScores()).isEmpty();
        assertThat(Verdict.of(Action.DUNNO, null).text()).isEmpty();
        assertThat(Verdict.of(Action.DUNNO, "").decidedBy()).isEmpty();
    }
}
