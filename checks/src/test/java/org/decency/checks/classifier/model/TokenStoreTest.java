package org.decency.checks.classifier.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.decency.checks.engine.NothingLearnedException;
import org.decency.checks.engine.Trainable.Lesson;
import org.decency.core.ManualClock;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;

class TokenStoreTest {
    final ManualClock clock = new ManualClock(Instant.parse("2025-03-01T12:00:00Z"));
    final InMemoryStore store = new InMemoryStore(clock);
    final TokenStore tokens = new TokenStore(store, "classifier:test:", Duration.ofDays(30));
    final long[] mailA = {-5, 1, 2, 3};
    final long[] mailB = {3, 4};

    Counts count(long token) {
        return Counts.unpack(tokens.counts("global", new long[]{token})[0]);
    }

    @Test
    void learningCountsEachTokenAndTheTotals() throws Exception {
        tokens.learn("global", mailA, Lesson.SPAM, false);
        tokens.learn("global", mailB, Lesson.HAM, false);
        assertThat(count(3)).isEqualTo(new Counts(1, 1));
        assertThat(count(-5)).isEqualTo(new Counts(1, 0));
        assertThat(count(4)).isEqualTo(new Counts(0, 1));
        assertThat(count(99)).isEqualTo(Counts.NONE);
        assertThat(tokens.totals("global")).isEqualTo(new Counts(1, 1));
        assertThat(tokens.totals("bob@example.org")).as("models are apart").isEqualTo(Counts.NONE);
    }

    @Test
    void aLessonCountsOnceAndAWrongOneMoves() throws Exception {
        tokens.learn("global", mailA, Lesson.SPAM, false);
        assertThatThrownBy(() -> tokens.learn("global", mailA, Lesson.SPAM, false)).isInstanceOf(NothingLearnedException.class)
                .hasMessageContaining("before");
        tokens.learn("global", mailA, Lesson.HAM, false);
        assertThat(count(1)).isEqualTo(new Counts(0, 1));
        assertThat(tokens.totals("global")).isEqualTo(new Counts(0, 1));
    }

    @Test
    void forgettingUndoesOnlyWhatWasTaught() throws Exception {
        tokens.learn("global", mailA, Lesson.SPAM, false);
        tokens.learn("global", mailB, Lesson.SPAM, false);
        assertThatThrownBy(() -> tokens.learn("global", mailA, Lesson.HAM, true)).isInstanceOf(NothingLearnedException.class);
        tokens.learn("global", mailA, Lesson.SPAM, true);
        assertThat(count(1)).isEqualTo(Counts.NONE);
        assertThat(count(3)).isEqualTo(new Counts(1, 0));
        assertThat(tokens.totals("global")).isEqualTo(new Counts(1, 0));
        assertThatThrownBy(() -> tokens.learn("global", mailA, Lesson.SPAM, true)).isInstanceOf(NothingLearnedException.class);
        tokens.learn("global", mailA, Lesson.SPAM, false);
        assertThat(count(1)).as("learnt again after forgetting").isEqualTo(new Counts(1, 0));
    }

    @Test
    void tokensNoLessonUsedForTheTtlExpireAndTheOthersStay() throws Exception {
        tokens.learn("global", mailA, Lesson.SPAM, false);
        clock.advance(Duration.ofDays(20));
        tokens.learn("global", mailB, Lesson.HAM, false);
        clock.advance(Duration.ofDays(15));
        assertThat(count(1)).as("35 days without a lesson").isEqualTo(Counts.NONE);
        assertThat(count(3)).as("renewed by the second lesson; its spam count stays").isEqualTo(new Counts(1, 1));
        assertThat(tokens.totals("global")).isEqualTo(new Counts(1, 1));
        store.sweep();
        assertThat(store.getAll(java.util.List.of("classifier:test:global:#"))).hasSize(1);
    }

    @Test
    void countsPackBothClassesInOneCounter() {
        assertThat(Counts.unpack(Counts.delta(7, 3))).isEqualTo(new Counts(7, 3));
        assertThat(Counts.unpack(Counts.delta(7, 3) + Counts.delta(-1, 2))).isEqualTo(new Counts(6, 5));
        assertThat(Counts.unpack(Counts.delta(0, -1))).as("forgotten more than learnt").isEqualTo(Counts.NONE);
        assertThat(Counts.unpack(Counts.delta(2, -1))).isEqualTo(new Counts(2, 0));
    }
}
