package org.decency.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.decency.core.Score;
import org.junit.jupiter.api.Test;

class ResultCacheTest extends PipelineTestBase {

    @Test
    void aHitIsReusedForTheSameKeyUntilItsTtlEnds() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {score: -30, cacheable: 1, result_cache: {hit_ttl: 30m, miss_ttl: 1m}}
                """);

        p.run(from("192.0.2.1"));
        assertThat(p.run(from("192.0.2.1")).scores()).containsExactly(new Score("Alpha", -30, "[cached]"));
        assertThat(journal.asked).as("asked once; the second run reused the outcome").containsExactly("Alpha");

        p.run(from("192.0.2.2"));
        assertThat(journal.asked).as("another client is another key").hasSize(2);

        clock.advance(Duration.ofMinutes(31));
        p.run(from("192.0.2.1"));
        assertThat(journal.asked).hasSize(3);
    }

    @Test
    void aMissIsKeptForTheShorterMissTtl() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {score: 5, cacheable: 1, result_cache: {hit_ttl: 30m, miss_ttl: 1m}}
                """);
        p.run(from("192.0.2.1"));
        p.run(from("192.0.2.1"));
        assertThat(journal.asked).hasSize(1);
        clock.advance(Duration.ofSeconds(61));
        p.run(from("192.0.2.1"));
        assertThat(journal.asked).hasSize(2);
    }

    @Test
    void outcomesOfPassingFailuresAndChecksWithoutAKeyAreNeverKept() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {score: -5, cacheable: 1, temporary: 1, result_cache: {}}
                  - Beta: {score: -5, result_cache: {}}
                  - Gamma: {fail: 1, cacheable: 1, result_cache: {}}
                """);
        p.run(from("192.0.2.1"));
        p.run(from("192.0.2.1"));
        assertThat(journal.asked).containsExactly("Alpha", "Beta", "Gamma", "Alpha", "Beta", "Gamma");
    }

    @Test
    void withoutTheOptionNothingIsCached() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {score: -5, cacheable: 1}
                """);
        p.run(from("192.0.2.1"));
        p.run(from("192.0.2.1"));
        assertThat(journal.asked).hasSize(2);
    }
}
