package org.decency.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.decency.config.ConfigException;
import org.decency.core.Action;
import org.decency.core.Verdict;
import org.junit.jupiter.api.Test;

/** {@code custom_scoring:}: thresholds per recipient and weights per module and recipient domain. */
class CustomScoringTest extends PipelineTestBase {

    @Test
    void aRecipientsThresholdReplacesTheGlobalOneAddressBeforeDomain() {
        Pipeline p = pipeline("""
                custom_scoring:
                  thresholds:
                    example.org: -10
                    VIP@example.org: -1000
                    Sub.Example.NET: -5
                modules:
                  - Alpha: {score: -20}
                """);

        assertThreshold(p.run(rcpt("user@example.org")), -10, Action.REJECT);
        assertThreshold(p.run(rcpt("vip@example.org")), -1000, Action.DUNNO);
        assertThreshold(p.run(rcpt("Vip@EXAMPLE.org")), -1000, Action.DUNNO);
        assertThreshold(p.run(rcpt("user@mail.example.org")), -10, Action.REJECT);
        assertThreshold(p.run(rcpt("user@a.sub.example.net")), -5, Action.REJECT);
        assertThreshold(p.run(rcpt("user@example.com")), -100, Action.DUNNO);
        assertThreshold(p.run(rcpt("user@org")), -100, Action.DUNNO);
    }

    private static void assertThreshold(Verdict v, double threshold, Action action) {
        assertThat(v.threshold()).isEqualTo(threshold);
        assertThat(v.action()).isEqualTo(action);
    }

    @Test
    void thresholdsCanComeFromAFileOfRecipientValueLines() {
        write("scoring/custom.txt", """
                # recipient:threshold
                example.org:-10

                vip@example.org : -1000
                """);
        Pipeline p = pipeline("""
                custom_scoring:
                  file: scoring/custom.txt
                  cache_timeout: 5m
                modules:
                  - Alpha: {score: -20}
                """);

        assertThreshold(p.run(rcpt("user@example.org")), -10, Action.REJECT);
        assertThreshold(p.run(rcpt("vip@example.org")), -1000, Action.DUNNO);
    }

    @Test
    void aBadLineInTheFileIsNamedWithFileAndLine() {
        Path file = write("custom.txt", "example.org:-10\n\nexample.com=-5\n");

        assertThatThrownBy(() -> build("custom_scoring:\n  file: custom.txt\nmodules: []\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":3: expected recipient:threshold (e.g. example.org:-50), got \"example.com=-5\"");
        write("custom.txt", "example.org:lots\n");
        assertThatThrownBy(() -> build("custom_scoring:\n  file: custom.txt\nmodules: []\n"))
                .hasMessage(file + ":1: expected recipient:threshold (e.g. example.org:-50), got \"example.org:lots\"");
        write("custom.txt", ":-5\n");
        assertThatThrownBy(() -> build("custom_scoring:\n  file: custom.txt\nmodules: []\n"))
                .hasMessageStartingWith(file + ":1: expected recipient:threshold");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> build("custom_scoring:\n  file: none.txt\nmodules: []\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(config + ":2: custom_scoring.file: cannot read " + dir.resolve("none.txt"));
    }

    @Test
    void aThresholdThatIsNoNumberIsNamed() {
        assertThatThrownBy(() -> build("""
                custom_scoring:
                  thresholds:
                    example.org: strict
                modules: []
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage(config + ":3: custom_scoring.thresholds.example.org: expected a number, got \"strict\"");
    }

    @Test
    void weightsScaleTheScoresOfAModuleForARecipientDomain() {
        Pipeline p = pipeline("""
                custom_scoring:
                  weights:
                    Example.org:
                      Alpha: 2
                      Beta: 0.5
                modules:
                  - Alpha: {score: -20}
                  - Beta: {score: -10}
                  - Gamma: {score: -1}
                """);

        Verdict v = p.run(rcpt("user@example.org"));
        assertThat(v.briefScores()).isEqualTo("Alpha=-40 Beta=-5 Gamma=-1");
        assertThat(v.total()).isEqualTo(-46);

        assertThat(p.run(rcpt("user@mx.example.org")).briefScores()).isEqualTo("Alpha=-40 Beta=-5 Gamma=-1");
        assertThat(p.run(rcpt("user@example.com")).briefScores()).isEqualTo("Alpha=-20 Beta=-10 Gamma=-1");
    }

    @Test
    void aWeightedScoreCanReachTheThreshold() {
        Pipeline p = pipeline("""
                custom_scoring:
                  weights:
                    example.org: {Alpha: 1.5}
                modules:
                  - Alpha: {score: -70}
                  - Beta: {score: -1}
                """);

        Verdict v = p.run(rcpt("user@example.org"));

        assertThat(v.action()).isEqualTo(Action.REJECT);
        assertThat(v.total()).isEqualTo(-105);
        assertThat(journal.asked).containsExactly("Alpha");
    }

    @Test
    void weightsNameModulesWhateverTheirCase() {
        Pipeline p = pipeline("""
                custom_scoring:
                  weights:
                    example.org: {alpha: 3}
                modules:
                  - Alpha: {score: -2}
                """);

        assertThat(p.run(rcpt("user@example.org")).briefScores()).isEqualTo("Alpha=-6");
    }

    @Test
    void customScoringFromTheDatabaseIsNotAvailableYet() {
        assertThatThrownBy(() -> build("custom_scoring:\n  database: yes\nmodules: []\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(config + ":2: custom_scoring.database: custom scoring from the database is not available yet; use thresholds: or file:");
    }

    @Test
    void anUnknownKeyInTheSectionIsNamed() {
        assertThatThrownBy(() -> build("custom_scoring:\n  threshold: {a.example: -5}\nmodules: []\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(config + ":2: custom_scoring.threshold: unknown key; expected one of: thresholds, file, weights, database, cache_timeout");
    }
}
