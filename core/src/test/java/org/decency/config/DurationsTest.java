package org.decency.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest(name = "\"{0}\" is {1} ms")
    @CsvSource(delimiter = '|', value = {
            "600      | 600000",
            "0        | 0",
            "30s      | 30000",
            "10m      | 600000",
            "2h       | 7200000",
            "1d       | 86400000",
            "1w       | 604800000",
            "250ms    | 250",
            "1.5h     | 5400000",
            "0.5s     | 500",
            "' 10M '  | 600000",
            "30S      | 30000",
            "5 m      | 300000",
    })
    void theSeedsIntervalSyntaxIsUnderstood(String text, long millis) {
        assertThat(Durations.parse(text)).contains(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(strings = {"-5", "-1m", "-250ms", "-0.5h", "soon", "5x", "m", "ms", "s", "1dd", "1fs", "1dm",
            "1e3", "0x10", "1.5ms", "5 minutes", "NaN", "Infinity", "1e400", "+5", "1,5m", "10m10s", "99999999999999999999w", "99999999999999999999ms"})
    void negativesAndGarbageAreRefused(String text) {
        assertThat(Durations.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  ", "\t"})
    void nothingIsNoDuration(String text) {
        assertThat(Durations.parse(text)).isEqualTo(Optional.empty());
    }

    @ParameterizedTest(name = "{0} s is written {1}")
    @CsvSource({
            "90, 90s",
            "600, 10m",
            "7200, 2h",
            "86400, 1d",
            "604800, 1w",
            "90000, 25h",
            "1209600, 2w",
            "0, 0s",
            "59, 59s",
    })
    void formatPicksTheShortestExactUnit(long seconds, String text) {
        assertThat(Durations.format(Duration.ofSeconds(seconds))).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0} ms is written {1}")
    @CsvSource({"250, 250ms", "1500, 1500ms", "2000, 2s"})
    void formatKeepsMillisecondsWhenTheyAreNotWholeSeconds(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"250ms", "45s", "10m", "2h", "3d", "1w"})
    void formatReadsBackToTheSameDuration(String text) {
        Duration d = Durations.parse(text).orElseThrow();
        assertThat(Durations.format(d)).isEqualTo(text);
    }
}
