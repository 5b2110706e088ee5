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

    /** Rows without the measured runtime: table module status period start calls score [hits finals rejects]. */
    private List<String> rows() {
        return store.statsRows().stream()
                .map(r -> String.join(" ", r.server(), r.table(), r.module(), r.status(), r.period(),
                        Instant.ofEpochSecond(r.start()).toString(), Long.toString(r.calls()),
                        org.decency.core.Scores.format(r.score()))
                        + (r.table().equals(StatsRow.PERFORMANCE) ? " hits=" + r.hits() + " finals=" + r.finals() + " rejects=" + r.rejects() : ""))
                .sorted().toList();
    }

    @Test
    void performanceResultsAndFinalStateRowsAreWrittenForEveryPeriod() {
        PipelineBuilder.Result r = build("""
                stats:
                  enable: [module_results, module_performance, final_state]
                  intervals: [hour, week]
                modules:
                  - Alpha: {score: -5}
                  - Beta: {final: REJECT}
                  - Gamma: {score: -1}
                """);

        var v = r.pipeline().run(from("192.0.2.10"));
        r.pipeline().finalState(FinalStates.of(v));
        r.stats().flush();

        assertThat(rows()).containsExactly(
                "doorman final_state  reject hour 2024-05-01T10:00:00Z 1 0",
                "doorman final_state  reject week 2024-04-29T00:00:00Z 1 0",
                "doorman performance Alpha  hour 2024-05-01T10:00:00Z 1 -5 hits=1 finals=0 rejects=0",
                "doorman performance Alpha  week 2024-04-29T00:00:00Z 1 -5 hits=1 finals=0 rejects=0",
                "doorman performance Beta  hour 2024-05-01T10:00:00Z 1 0 hits=0 finals=1 rejects=1",
                "doorman performance Beta  week 2024-04-29T00:00:00Z 1 0 hits=0 finals=1 rejects=1",
                "doorman response Alpha REJECT hour 2024-05-01T10:00:00Z 1 0",
                "doorman response Alpha REJECT week 2024-04-29T00:00:00Z 1 0",
                "doorman response Beta REJECT hour 2024-05-01T10:00:00Z 1 0",
                "doorman response Beta REJECT week 2024-04-29T00:00:00Z 1 0");
        assertThat(store.statsRows()).allSatisfy(row -> assertThat(row.runtimeSeconds()).isGreaterThanOrEqualTo(0));
    }

    /**
     * Known transactions give known rows: calls, hits (a score other than 0), final words and
     * refusals per module; the module results per answer; the final states; and every call
     * in the latency bucket of its time (a check sleeping 30 ms lands in 25..50 ms).
     */
    @Test
    void knownTransactionsGiveKnownRows() {
        PipelineBuilder.Result r = build("""
                stats: {intervals: [day]}
                custom_scoring:
                  weights:
                    example.com: {Alpha: 0}
                exclusions:
                  modules:
                    Beta: {to_domain: [example.org]}
                modules:
                  - Alpha: {score: -2}
                  - Beta: {final: OK}
                  - Gamma: {sleep: 30ms}
                """);

        for (String to : List.of("a@example.org", "b@example.org", "c@example.com", "d@example.net")) {
            var v = r.pipeline().run(rcpt(to));
            r.pipeline().finalState(FinalStates.of(v));
        }
        r.stats().flush();

        assertThat(rows()).containsExactly(
                "doorman final_state  accept day 2024-05-01T00:00:00Z 2 0",
                "doorman final_state  pass day 2024-05-01T00:00:00Z 2 0",
                "doorman performance Alpha  day 2024-05-01T00:00:00Z 4 -6 hits=3 finals=0 rejects=0",
                "doorman performance Beta  day 2024-05-01T00:00:00Z 2 0 hits=0 finals=2 rejects=0",
                "doorman performance Gamma  day 2024-05-01T00:00:00Z 2 0 hits=0 finals=0 rejects=0",
                "doorman response Alpha DUNNO day 2024-05-01T00:00:00Z 2 0",
                "doorman response Alpha OK day 2024-05-01T00:00:00Z 2 0",
                "doorman response Beta OK day 2024-05-01T00:00:00Z 2 0",
                "doorman response Gamma DUNNO day 2024-05-01T00:00:00Z 2 0");
        StatsRow gamma = store.statsRows().stream().filter(x -> x.module().equals("Gamma")).findFirst().orElseThrow();
        int slow = LatencyBuckets.index(30_000_000L);
        assertThat(LatencyBuckets.upperBound(slow)).isEqualTo(0.05);
        assertThat(gamma.buckets()).hasSize(LatencyBuckets.COUNT);
        assertThat(gamma.bucket(slow)).as("30 ms and a little: in the 25..50 ms bucket").isEqualTo(2);
        assertThat(gamma.runtimeSeconds()).isBetween(0.06, 0.1);
        StatsRow alpha = store.statsRows().stream().filter(x -> x.module().equals("Alpha")).findFirst().orElseThrow();
        assertThat(java.util.Arrays.stream(alpha.buckets()).sum()).isEqualTo(4);
    }

    @Test
    void onlyTheEnabledTablesAreWritten() {
        PipelineBuilder.Result r = build("""
                stats: {enable: [final_state], intervals: [hour]}
                modules:
                  - Alpha: {score: -1}
                """);

        r.pipeline().finalState(FinalStates.of(r.pipeline().run(from("192.0.2.10"))));
        r.stats().flush();

        assertThat(rows()).containsExactly("doorman final_state  pass hour 2024-05-01T10:00:00Z 1 0");
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
                "doorman performance Alpha  day 2024-05-01T00:00:00Z 2 -4.5 hits=2 finals=0 rejects=0",
                "doorman response Alpha DUNNO day 2024-05-01T00:00:00Z 2 0");

        r.stats().flush();
        assertThat(store.statsRows()).hasSize(2);

        clock.advance(java.time.Duration.ofDays(1));
        r.pipeline().run(rcpt("c@example.com"));
        r.stats().flush();
        assertThat(rows()).contains("doorman performance Alpha  day 2024-05-02T00:00:00Z 1 -1.5 hits=1 finals=0 rejects=0").hasSize(4);
    }

    @Test
    void anUncheckedRunCountsOnlyItsFinalState() {
        PipelineBuilder.Result r = build("""
                stats: {intervals: [year]}
                modules:
                  - Alpha: {score: -1}
                """);

        r.pipeline().finalState(FinalStates.of(r.pipeline().run(from("127.0.0.1"))));
        r.stats().flush();

        assertThat(rows()).containsExactly("doorman final_state  pass year 2024-01-01T00:00:00Z 1 0");
    }

    @Test
    void aLiteralReplyIsCountedUnderItsCodeAsTheSeedsDid() {
        PipelineBuilder.Result r = build("""
                stats: {intervals: [hour]}
                modules:
                  - Alpha: {final: "450", final_text: slow down}
                """);

        r.pipeline().finalState(FinalStates.of(r.pipeline().run(from("192.0.2.10"))));
        r.stats().flush();

        assertThat(rows()).contains("doorman final_state  defer hour 2024-05-01T10:00:00Z 1 0",
                "doorman response Alpha 450 hour 2024-05-01T10:00:00Z 1 0",
                "doorman performance Alpha  hour 2024-05-01T10:00:00Z 1 0 hits=0 finals=1 rejects=1");
    }

    @Test
    void theOldEnableStatsSwitchCountsHourlyAndDaily() {
        PipelineBuilder.Result r = build("""
                enable_stats: 1
                modules:
                  - Alpha: {score: -1}
                """);

        r.pipeline().finalState(FinalStates.of(r.pipeline().run(from("192.0.2.10"))));
        r.stats().flush();

        assertThat(store.statsRows()).extracting(StatsRow::period).containsOnly("hour", "day");
        assertThat(store.statsRows()).hasSize(6);
        assertThat(r.stats().retention()).isEqualTo(StatsRetention.DEFAULTS);
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
    void anUnknownIntervalOrTableIsNamed() {
        assertThatThrownBy(() -> build("""
                stats:
                  intervals: [hour, fortnight]
                modules: []
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage(config + ":2: stats.intervals: unknown interval \"fortnight\"; expected some of [hour, day, week, month, year]");
        assertThatThrownBy(() -> build("""
                stats:
                  enable: [module_results, final_states]
                modules: []
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(":2: stats.enable: unknown statistics \"final_states\"; expected some of [module_results, module_performance, final_state]");
        assertThatThrownBy(() -> new StatsRecorder("doorman", List.of("minute"), clock, store))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void maintenanceSetsHowManyPeriodsAreKept() {
        PipelineBuilder.Result r = build("""
                stats:
                  intervals: [hour, day, month]
                  maintenance:
                    stream: 50d
                    intervals: {hour: 48, month: 0}
                modules: []
                """);

        StatsRetention keep = r.stats().retention();
        assertThat(keep.periods("hour")).isEqualTo(48);
        assertThat(keep.periods("day")).as("the seeds' default").isEqualTo(60);
        assertThat(keep.periods("month")).isZero();
        assertThat(keep.firstKept("hour", clock.instant())).isEqualTo(epoch("2024-04-29T11:00:00Z"));
        assertThat(keep.firstKept("day", clock.instant())).isEqualTo(epoch("2024-03-03T00:00:00Z"));
        assertThat(keep.firstKept("week", clock.instant())).isEqualTo(epoch("2023-05-08T00:00:00Z"));
        assertThat(keep.firstKept("month", clock.instant())).as("0: kept for ever").isEqualTo(Long.MIN_VALUE);
        assertThat(r.warnings()).containsExactly(config + ":4: stats.maintenance.stream: there is no stream table"
                + " (LiveStats comes in a later release); ignored");
    }

    @Test
    void aBadRetentionIsNamed() {
        assertThatThrownBy(() -> build("""
                stats:
                  maintenance:
                    intervals: {hour: -1}
                modules: []
                """)).isInstanceOf(ConfigException.class).hasMessageContaining(":3: stats.maintenance.intervals.hour: expected how many hours to keep");
        assertThatThrownBy(() -> build("""
                stats:
                  maintenance:
                    intervals: {minute: 5}
                modules: []
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("unknown interval \"minute\"");
        assertThatThrownBy(() -> build("""
                stats:
                  maintenance:
                    keep: 5
                modules: []
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("stats.maintenance.keep: unknown key");
    }

    @Test
    void nothingCountedWritesNothing() {
        PipelineBuilder.Result r = build("stats: {intervals: [hour]}\nmodules: []\n");

        r.stats().flush();

        assertThat(store.statsRows()).isEmpty();
    }

    @Test
    void latencyBucketsAndTheirQuantiles() {
        assertThat(LatencyBuckets.COUNT).isEqualTo(21);
        assertThat(LatencyBuckets.index(0)).isZero();
        assertThat(LatencyBuckets.index(10_000)).as("at the bound: le").isZero();
        assertThat(LatencyBuckets.index(10_001)).isEqualTo(1);
        assertThat(LatencyBuckets.index(1_000_000)).isEqualTo(6);
        assertThat(LatencyBuckets.index(30_000_000_000L)).isEqualTo(19);
        assertThat(LatencyBuckets.index(31_000_000_000L)).isEqualTo(20);
        assertThat(LatencyBuckets.upperBound(20)).isInfinite();
        long[] c = new long[LatencyBuckets.COUNT];
        assertThat(LatencyBuckets.quantile(c, 0.99)).isNaN();
        c[6] = 99; // 0.5 .. 1 ms
        c[9] = 1;  // 5 .. 10 ms
        assertThat(LatencyBuckets.quantile(c, 0.99)).isCloseTo(0.001, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(LatencyBuckets.quantile(c, 0.5)).isCloseTo(0.0005 + 0.0005 * 50 / 99, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(LatencyBuckets.quantile(c, 1.0)).isCloseTo(0.01, org.assertj.core.api.Assertions.within(1e-12));
        c[20] = 100;
        assertThat(LatencyBuckets.quantile(c, 0.99)).isEqualTo(30);
        assertThat(LatencyBuckets.beyondLastBound(c, 0.99)).isTrue();
        assertThat(LatencyBuckets.beyondLastBound(c, 0.4)).isFalse();
    }
}
