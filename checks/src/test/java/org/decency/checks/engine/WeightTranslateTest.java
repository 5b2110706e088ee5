package org.decency.checks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The seeds' documented example {5:20, 1:10, 0:0, -2:0, -3:-50, -10:-100} and its steps. */
class WeightTranslateTest {
    private static final WeightTranslate SEEDS = WeightTranslate.of(Map.of(5.0, 20.0, 1.0, 10.0, 0.0, 0.0, -2.0, 0.0, -3.0, -50.0, -10.0, -100.0));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "-50, -100", "-10, -100", // at or below the smallest key: its value
            "-9.9, -50", "-3.5, -50", // the smallest key strictly greater: -3
            "-3, 0", "-2.5, 0", "-2, 0", "-0.1, 0",
            "0, 10", "0.5, 10",
            "1, 20", "4.9, 20",
            "5, 20", "99, 20"})    // at or above the largest key: its value
    void translatesByTheSmallestKeyAboveTheScore(double engine, double decency) {
        assertThat(SEEDS.translate(engine)).isEqualTo(decency);
    }
}
