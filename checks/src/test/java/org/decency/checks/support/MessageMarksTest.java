package org.decency.checks.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.decency.core.ManualClock;
import org.junit.jupiter.api.Test;

class MessageMarksTest {
    final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T10:00:00Z"));

    @Test
    void aMarkIsNewOnceAndThenKnown() {
        MessageMarks marks = new MessageMarks(clock);

        assertThat(marks.has("4711.1")).isFalse();
        assertThat(marks.add("4711.1")).isTrue();
        assertThat(marks.add("4711.1")).isFalse();
        assertThat(marks.has("4711.1")).isTrue();
        assertThat(marks.has("4711.2")).isFalse();
    }

    @Test
    void aMarkLivesAtLeastHalfItsTimeAndAtMostItsTime() {
        MessageMarks marks = new MessageMarks(clock, Duration.ofMinutes(20), 1000);
        clock.advance(Duration.ofMinutes(9));
        marks.add("late in the first generation");
        marks.add("m");
        clock.advance(Duration.ofMinutes(2));   // rotation at 10 min: both now in the previous generation
        assertThat(marks.has("m")).isTrue();
        assertThat(marks.add("m")).as("still known in the previous generation").isFalse();
        clock.advance(Duration.ofMinutes(10));  // 21 min, the next rotation: the previous generation is dropped
        assertThat(marks.has("m")).isFalse();
        assertThat(marks.add("m")).as("a message seen again long after counts again").isTrue();
    }

    @Test
    void afterALongQuietSpellNothingIsRemembered() {
        MessageMarks marks = new MessageMarks(clock, Duration.ofMinutes(20), 1000);
        marks.add("m");
        clock.advance(Duration.ofMinutes(25));
        assertThat(marks.has("m")).isFalse();
    }

    @Test
    void theNumberOfMarksIsBoundedByTwoGenerations() {
        MessageMarks marks = new MessageMarks(clock, Duration.ofMinutes(20), 100);
        for (int i = 0; i < 10_000; i++) marks.add("m" + i);

        long kept = java.util.stream.IntStream.range(0, 10_000).filter(i -> marks.has("m" + i)).count();
        assertThat(kept).isBetween(100L, 200L);
        assertThat(marks.has("m9999")).as("the newest marks are kept").isTrue();
    }
}
