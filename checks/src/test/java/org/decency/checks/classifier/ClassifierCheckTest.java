package org.decency.checks.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.decency.checks.support.TestMails.tx;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.decency.checks.engine.NothingLearnedException;
import org.decency.checks.engine.Trainable.Lesson;
import org.decency.checks.engine.TrainingDisabledException;
import org.decency.checks.support.TestMails;
import org.decency.config.ConfigException;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.Action;
import org.decency.core.CheckEnvironment;
import org.decency.core.Evaluation;
import org.decency.core.ManualClock;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.pipeline.ModuleOptions;
import org.decency.store.InMemoryStore;
import org.decency.testkit.MailCorpus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The Classifier as a check: trained on 20 spam and 20 ham of the SpamAssassin sample, asked about the other 20. */
class ClassifierCheckTest {
    @TempDir
    Path dir;
    MailCorpus corpus;
    final ManualClock clock = new ManualClock(Instant.parse("2025-03-01T12:00:00Z"));
    final InMemoryStore store = new InMemoryStore(clock);

    @BeforeEach
    void corpus() throws IOException {
        corpus = MailCorpus.extract(dir.resolve("corpus"));
    }

    ClassifierCheck check(String yaml) throws IOException {
        Path f = Files.writeString(dir.resolve("classifier.yml"), yaml);
        ConfigNode n = ConfigLoader.loadFile(f, "");
        ModuleOptions.read("Classifier", n);
        CheckEnvironment env = new CheckEnvironment(store, clock, dir, "detective", List.of(), List.of());
        return (ClassifierCheck) new ClassifierFactory().create("Classifier", n, env);
    }

    /** Taught 20 spam and 20 ham, one of each in turn, and the model's further passes: as decency train both. */
    ClassifierCheck trained(String yaml) throws IOException {
        ClassifierCheck c = check(yaml);
        for (int i = 0; i < 20; i++) {
            c.train(corpus.spam().get(i), "", Lesson.SPAM, false);
            c.train(corpus.ham().get(i), "", Lesson.HAM, false);
        }
        for (int pass = 2; pass <= c.config().passes(); pass++) {
            for (int i = 0; i < 20; i++) {
                c.relearn(corpus.spam().get(i), "", Lesson.SPAM);
                c.relearn(corpus.ham().get(i), "", Lesson.HAM);
            }
        }
        return c;
    }

    Transaction txOf(Path mail) throws IOException {
        return tx(new TestMails(dir).raw(Files.readAllBytes(mail)));
    }

    Outcome ask(ClassifierCheck c, Path mail) throws Exception {
        return c.evaluate(txOf(mail), new Evaluation(-50));
    }

    @Test
    void aModelLearntUnderTheOtherKindIsNamedAtStartUp() throws IOException {
        Logger log = (Logger) LoggerFactory.getLogger(ClassifierFactory.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try {
            trained("model: fisher\n");
            check("{}\n"); // the default, logistic: nothing learnt under its keys
            assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
                    .contains("the store holds a fisher model \"global\" (20 spam, 20 ham learnt)", "model: logistic", "set model: fisher");
            logged.list.clear();
            check("model: fisher\n");
            assertThat(logged.list).as("the model that learnt: nothing to say").isEmpty();
        } finally {
            log.detachAppender(logged);
        }
    }

    @Test
    void unseenSpamAndHamGetTheirWeights() throws Exception {
        ClassifierCheck c = trained("spam_cutoff: 0.6\nham_cutoff: 0.45\n");
        int spamCalled = 0, hamCalled = 0;
        for (Path p : corpus.spam().subList(20, 30)) {
            Outcome o = ask(c, p);
            if (o.flags().contains("spam")) {
                spamCalled++;
                assertThat(o.scores().getFirst().delta()).isEqualTo(-50);
                assertThat(o.scores().getFirst().detail()).startsWith("Spam, spamicity=").contains("model=global");
            }
        }
        for (Path p : corpus.ham().subList(20, 30)) {
            Outcome o = ask(c, p);
            assertThat(o.flags()).doesNotContain("spam");
            if (o.scores().getFirst().delta() == 10) hamCalled++;
        }
        assertThat(spamCalled).as("of 10 unseen spam").isGreaterThanOrEqualTo(6);
        // 40 lessons leave some ham unsure (0), none is called spam (asserted above)
        assertThat(hamCalled).as("of 10 unseen ham").isGreaterThanOrEqualTo(4);
    }

    @Test
    void aModelThatLearntTooLittleCountsZeroAndSaysWhy() throws Exception {
        ClassifierCheck c = check("min_learned: 5\n");
        for (Path p : corpus.spam().subList(0, 5)) c.train(p, "", Lesson.SPAM, false);
        Outcome o = ask(c, corpus.spam().get(6));
        assertThat(o.scores().getFirst().delta()).isZero();
        assertThat(o.scores().getFirst().detail()).isEqualTo("model global has learnt 5 spam and 0 ham, needs 5 of each");
    }

    @Test
    void weightTranslateStepsOverTheProbability() throws Exception {
        ClassifierCheck c = trained("weight_translate: {0.5: 7, 1: -33}\n");
        Outcome o = ask(c, corpus.spam().get(0));
        assertThat(o.scores().getFirst().delta()).isEqualTo(-33);
        assertThat(ask(c, corpus.ham().get(0)).scores().getFirst().delta()).isEqualTo(7);
    }

    @Test
    void forgettingTakesTheLessonsBack() throws Exception {
        ClassifierCheck c = trained("min_learned: 20\n");
        Path spam = corpus.spam().get(25);
        assertThat(ask(c, spam).scores().getFirst().detail()).doesNotContain("has learnt");
        c.train(corpus.spam().get(0), "", Lesson.SPAM, true);
        assertThat(ask(c, spam).scores().getFirst().detail()).isEqualTo("model global has learnt 19 spam and 20 ham, needs 20 of each");
        assertThatThrownBy(() -> c.train(corpus.spam().get(0), "", Lesson.SPAM, true)).isInstanceOf(NothingLearnedException.class);
        assertThatThrownBy(() -> c.train(corpus.spam().get(1), "", Lesson.SPAM, false)).isInstanceOf(NothingLearnedException.class);
    }

    @Test
    void perRecipientModelsLearnApart() throws Exception {
        ClassifierCheck c = check("default_user: \"\"\nmin_learned: 1\n");
        assertThatThrownBy(() -> c.train(corpus.spam().get(0), "", Lesson.SPAM, false)).hasMessageContaining("--user");
        c.train(corpus.spam().get(0), "bob@example.org", Lesson.SPAM, false);
        c.train(corpus.ham().get(0), "bob@example.org", Lesson.HAM, false);
        Transaction toBob = tx(new TestMails(dir).raw(Files.readAllBytes(corpus.spam().get(0))), "192.0.2.1", "a@example.net", "bob@example.org");
        Transaction toAlice = tx(new TestMails(dir).raw(Files.readAllBytes(corpus.spam().get(0))), "192.0.2.1", "a@example.net", "alice@example.org");
        assertThat(c.evaluate(toBob, new Evaluation(-50)).scores().getFirst().detail()).contains("model=bob@example.org");
        assertThat(c.evaluate(toAlice, new Evaluation(-50)).scores().getFirst().detail()).contains("model alice@example.org has learnt 0 spam");
    }

    @Test
    void autoLearnTakesVerdictsFarBeyondTheThresholdWithoutItsOwnScore() throws Exception {
        ClassifierCheck c = check("auto_learn: 1\nauto_learn_spam: -100\nauto_learn_ham: 40\nmin_learned: 1\n");
        Transaction spam = txOf(corpus.spam().get(3));
        c.decided(spam, verdict(-150, new Score("Classifier", -50, ""), new Score("DNSBL", -100, "")));
        assertThat(ask(c, corpus.ham().get(3)).scores().getFirst().detail()).as("-100 without its own -50: learnt")
                .contains("has learnt 1 spam and 0 ham");
        c.decided(txOf(corpus.ham().get(3)), verdict(30, new Score("Classifier", -10, ""), new Score("SPF", 40, "")));
        c.decided(txOf(corpus.ham().get(4)), verdict(45, new Score("Classifier", 10, ""), new Score("SPF", 35, "")));
        assertThat(ask(c, corpus.ham().get(5)).scores().getFirst().detail()).as("only the first ham: 40 of the others")
                .doesNotContain("has learnt");
    }

    static Verdict verdict(double total, Score... scores) {
        return new Verdict(Action.DUNNO, "", total, -50, List.of(scores), Set.of(), "");
    }

    @Test
    void disableTrainRefusesLessons() throws Exception {
        ClassifierCheck c = check("disable_train: 1\n");
        assertThatThrownBy(() -> c.train(corpus.spam().get(0), "", Lesson.SPAM, false)).isInstanceOf(TrainingDisabledException.class);
    }

    @Test
    void theFisherModelCountsAndKeepsBogofiltersCutoff() throws Exception {
        ClassifierCheck c = trained("model: fisher\n");
        assertThat(c.config().spamCutoff()).isEqualTo(0.99);
        assertThat(c.config().passes()).as("a lesson counts once").isEqualTo(1);
        assertThat(check("").config().spamCutoff()).as("the logistic model's").isEqualTo(0.6);
        assertThat(ask(c, corpus.spam().get(25)).scores().getFirst().detail()).contains("spamicity=");
        assertThat(store.get("classifier:Classifier:global:#")).as("counts under the model's name").isPresent();
        assertThat(store.get("classifier:Classifier:w:global:#")).isEmpty();
    }

    @Test
    void badSettingsAreConfigErrors() {
        assertThatThrownBy(() -> check("ham_cutoff: 0.9\nspam_cutoff: 0.5\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ham_cutoff");
        assertThatThrownBy(() -> check("spam_cutoff: 2\n")).isInstanceOf(ConfigException.class).hasMessageContaining("probability");
        assertThatThrownBy(() -> check("osb_window: 0\n")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> check("model: svm\n")).isInstanceOf(ConfigException.class).hasMessageContaining("logistic or fisher");
        assertThatThrownBy(() -> check("passes: 0\n")).isInstanceOf(ConfigException.class).hasMessageContaining("passes");
        assertThatThrownBy(() -> check("robs: 0.1\nspam_cuttof: 0.9\n")).isInstanceOf(ConfigException.class).hasMessageContaining("spam_cuttof");
    }
}
