package org.decency.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.decency.config.ConfigException;
import org.decency.store.StatsRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code stats:}: what is counted per module and answer, and for which periods. */
class StatsRecorderTest extends PipelineTestBase {

    private static long epoch(String instant) {
        return Instant.parse(instant).getEpochSecond();
    }

    @ParameterizedTest(name = "{0} {1} starts {2}")
    @CsvSource({
            "hour,  2024-05-01T10:17:30Z, 2024-05-01T10:00:00Z",
            "day,   2024-05-01T10:17:30Z, 2024-05-01T00:00:00Z",
            "week,  2024-05-01T10:17:30Z, 2024-04-29T00:00:00Z",
            "month, 2024-05-01T10:17:30Z, 2024-05-01T00:00:00Z",
            "year,  2024-05-01T10:17:30Z, 2024-01-01T00:00:00Z",
            "week,  2024-05-05T23:59:59Z, 2024-04-29T00:00:00Z",
            "week,  2024-05-06T00:00:00Z, 2024-05-06T00:00:00Z",
            "week,  2025-01-01T12:00:00Z, 2024-12-30T00:00:00Z",
            "month, 2024-02-29T23:59:59Z, 2024-02-01T00:00:00Z",
            "year,  2024-12-31T23:59:59Z, 2024-01-01T00:00:00Z",
            "hour,  2024-05-01T00:00:00Z, 2024-05-01T00:00:00Z",
    })
    void periodsStartInUtcAndWeeksOnMonday(String period, String now, String start) {
        assertThat(StatsRecorder.periodStart(period, Instant.parse(now))).isEqualTo(epoch(start));
    }

    /** Rows without the measured runtime: table module status period start calls score. */
    private List<String> rows() {
        return store.statsRows().stream()
                .map(r -> String.join(" ", r.server(), r.table(), r.module(), r.status(), r.period(),
                        Instant.ofEpochSecond(r.start()).toString(), Long.toString(r.calls()),
                        org.decency.core.Scores.format(r.score())))
                .sorted().toList();
    }

    @Test
    void performanceAndResponseRowsAreWrittenForEveryPeriod() {
        PipelineBuilder.Result r = build("""
                stats:
                  enable: [module_results, module_performance, final_state]
                  intervals: [hour, week]
                modules:
                  - Alpha: {score: -5}
                  - Beta: {final: REJECT}
                  - Gamma: {score: -1}
                """);

        r.pipeline().run(from("192.0.2.10"));
        r.stats().flush();

        assertThat(rows()).containsExactly(
                "doorman performance Alpha  hour 2024-05-01T10:00:00Z 1 -5",
                "doorman performance Alpha  week 2024-04-29T00:00:00Z 1 -5",
                "doorman performance Beta  hour 2024-05-01T10:00:00Z 1 0",
                "doorman performance Beta  week 2024-04-29T00:00:00Z 1 0",
                "doorman response * REJECT hour 2024-05-01T10:00:00Z 1 0",
                "doorman response * REJECT week 2024-04-29T00:00:00Z 1 0",
                "doorman response Alpha REJECT hour 2024-05-01T10:00:00Z 1 0",
                "doorman response Alpha REJECT week 2024-04-29T00:00:00Z 1 0",
                "doorman response Beta REJECT hour 2024-05-01T10:00:00Z 1 0",
                "doorman response Beta REJECT week 2024-04-29T00:00:00Z 1 0");
        assertThat(store.statsRows()).allSatisfy(row -> assertThat(row.runtimeSeconds()).isGreaterThanOrEqualTo(0));
    }

    @Test
    void runsBetweenFlushesAreSummedAndAFlushStartsAfresh() {
        PipelineBuilder.Result r = build("""
                stats:
                  intervals: day
                custom_scoring:
                  weights:
                    example.org: {Alpha: 2}
                modules:
                  - Alpha: {score: -1.5}
                """);

        r.pipeline().run(rcpt("a@example.org"));
        r.pipeline().run(rcpt("b@example.com"));
        r.stats().flush();

        assertThat(rows()).containsExactly(
                "doorman performance Alpha  day 2024-05-01T00:00:00Z 2 -4.5",
                "doorman response * DUNNO day 2024-05-01T00:00:00Z 2 0",
                "doorman response Alpha DUNNO day 2024-05-01T00:00:00Z 2 0");

        r.stats().flush();
        assertThat(store.statsRows()).hasSize(3);

        clock.advance(java.time.Duration.ofDays(1));
        r.pipeline().run(rcpt("c@example.com"));
        r.stats().flush();
        assertThat(rows()).contains("doorman performance Alpha  day 2024-05-02T00:00:00Z 1 -1.5").hasSize(6);
    }

    @Test
    void anUncheckedRunCountsOnlyTheAnswer() {
        PipelineBuilder.Result r = build("""
                stats: {intervals: [year]}
                modules:
                  - Alpha: {score: -1}
                """);

        r.pipeline().run(from("127.0.0.1"));
        r.stats().flush();

        assertThat(rows()).containsExactly("doorman response * DUNNO year 2024-01-01T00:00:00Z 1 0");
    }

    @Test
    void aLiteralReplyIsCountedUnderItsCodeAsTheSeedsDid() {
        PipelineBuilder.Result r = build("""
                stats: {intervals: [hour]}
                modules:
                  - Alpha: {final: "450", final_text: slow down}
                """);

        r.pipeline().run(from("192.0.2.10"));
        r.stats().flush();

        assertThat(rows()).contains("doorman response * 450 hour 2024-05-01T10:00:00Z 1 0",
                "doorman response Alpha 450 hour 2024-05-01T10:00:00Z 1 0");
    }

    @Test
    void theOldEnableStatsSwitchCountsHourlyAndDaily() {
        PipelineBuilder.Result r = build("""
                enable_stats: 1
                modules:
                  - Alpha: {score: -1}
                """);

        r.pipeline().run(from("192.0.2.10"));
        r.stats().flush();

        assertThat(store.statsRows()).extracting(StatsRow::period).containsOnly("hour", "day");
        assertThat(store.statsRows()).hasSize(6);
    }

    @Test
    void statsAreOffUnlessAskedFor() {
        assertThat(build("modules: []\n").stats()).isNull();
        assertThat(build("enable_stats: 0\nmodules: []\n").stats()).isNull();
        assertThat(build("stats: {enable: 0}\nmodules: []\n").stats()).isNull();
        assertThat(build("stats: {enable: []}\nmodules: []\n").stats()).isNull();
        assertThat(build("stats: {enable: [final_state]}\nmodules: []\n").stats()).isNotNull();
        assertThat(build("stats: {}\nmodules: []\n").stats()).isNotNull();
    }

    @Test
    void anUnknownIntervalIsNamed() {
        assertThatThrownBy(() -> build("""
                stats:
                  intervals: [hour, fortnight]
                modules: []
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage(config + ":2: stats.intervals: unknown interval \"fortnight\"; expected some of [hour, day, week, month, year]");
        assertThatThrownBy(() -> new StatsRecorder("doorman", List.of("minute"), clock, store))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void maintenanceIsAcceptedWithAWarning() {
        PipelineBuilder.Result r = build("""
                stats:
                  maintenance:
                    intervals: {hour: 336}
                modules: []
                """);

        assertThat(r.warnings()).containsExactly(config + ":3: stats.maintenance is not available yet (old statistics rows are kept); ignored");
    }

    @Test
    void nothingCountedWritesNothing() {
        PipelineBuilder.Result r = build("stats: {intervals: [hour]}\nmodules: []\n");

        r.stats().flush();

        assertThat(store.statsRows()).isEmpty();
    }
}
