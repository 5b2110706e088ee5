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

class LogisticModelTest {
    final InMemoryStore store = new InMemoryStore(new ManualClock(Instant.parse("2025-03-01T12:00:00Z")));
    final LogisticModel model = new LogisticModel(store, "classifier:test:w:", Duration.ofDays(30), new LogisticModel.Settings(2, 10, 0.5));
    final long[] spam = {1, 2, 3, 10};
    final long[] ham = {4, 5, 6, 10};
    final long[] unseen = {7, 8};

    double p(long[] mail) {
        return model.classify("global", mail).probability();
    }

    @Test
    void aNewModelSaysNothing() {
        assertThat(p(spam)).isEqualTo(0.5);
        assertThat(model.classify("global", spam).tokens()).isZero();
        assertThat(model.totals("global")).isEqualTo(Counts.NONE);
    }

    @Test
    void aLessonIsAStepTowardsItsClass() throws Exception {
        model.learn("global", spam, Lesson.SPAM, false);
        model.learn("global", ham, Lesson.HAM, false);
        assertThat(p(spam)).isGreaterThan(0.5);
        assertThat(p(ham)).isLessThan(0.5);
        assertThat(p(unseen)).isEqualTo(0.5);
        assertThat(p(new long[] {1, 7})).as("half the tokens spam ones").isGreaterThan(0.5).isLessThan(p(spam));
        assertThat(model.classify("global", spam).tokens()).isEqualTo(4);
        assertThat(model.totals("global")).isEqualTo(new Counts(1, 1));
        assertThat(model.totals("bob@example.org")).as("models are apart").isEqualTo(Counts.NONE);
    }

    @Test
    void morePassesMoveOnlyUntilTheMargin() throws Exception {
        LogisticModel model = new LogisticModel(store, "classifier:slow:w:", Duration.ofDays(30), new LogisticModel.Settings(0.2, 10, 0.5));
        model.learn("global", spam, Lesson.SPAM, false);
        double once = model.classify("global", spam).rank();
        for (int i = 0; i < 50; i++) model.relearn("global", spam, Lesson.SPAM);
        double z = model.classify("global", spam).rank();
        assertThat(z).isGreaterThan(once).isGreaterThan(0.5).as("stops at the margin, one step (0.1) beyond at most").isLessThanOrEqualTo(0.6);
        assertThat(model.totals("global")).as("passes are no new lessons").isEqualTo(new Counts(1, 0));
        double hamBefore = model.classify("global", ham).rank();
        model.relearn("global", ham, Lesson.HAM);
        model.relearn("global", spam, Lesson.HAM);
        assertThat(model.classify("global", ham).rank()).as("a mail not taught as that is not relearnt").isEqualTo(hamBefore);
        assertThat(model.classify("global", spam).rank()).isEqualTo(z);
    }

    @Test
    void aLessonCountsOnceAndAWrongOneMoves() throws Exception {
        model.learn("global", spam, Lesson.SPAM, false);
        assertThatThrownBy(() -> model.learn("global", spam, Lesson.SPAM, false)).isInstanceOf(NothingLearnedException.class)
                .hasMessageContaining("before");
        model.learn("global", spam, Lesson.HAM, false);
        assertThat(p(spam)).isLessThan(0.5);
        assertThat(model.totals("global")).isEqualTo(new Counts(0, 1));
    }

    @Test
    void forgettingTakesBackTheMailsSteps() throws Exception {
        model.learn("global", spam, Lesson.SPAM, false);
        model.relearn("global", spam, Lesson.SPAM);
        model.learn("global", ham, Lesson.HAM, false);
        double sharedBefore = model.classify("global", new long[] {10}).rank();
        assertThatThrownBy(() -> model.learn("global", spam, Lesson.HAM, true)).isInstanceOf(NothingLearnedException.class);
        model.learn("global", spam, Lesson.SPAM, true);
        assertThat(model.classify("global", new long[] {1, 2, 3}).rank()).isZero();
        assertThat(model.classify("global", new long[] {10}).rank()).as("the ham's step stays").isLessThan(0).isNotEqualTo(sharedBefore);
        assertThat(model.totals("global")).isEqualTo(new Counts(0, 1));
        assertThatThrownBy(() -> model.learn("global", spam, Lesson.SPAM, true)).isInstanceOf(NothingLearnedException.class);
        model.learn("global", spam, Lesson.SPAM, false);
        assertThat(p(spam)).as("learnt again after forgetting").isGreaterThan(0.5);
    }
}
