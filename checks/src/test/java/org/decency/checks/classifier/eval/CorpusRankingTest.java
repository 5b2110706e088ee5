package org.decency.checks.classifier.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.decency.checks.classifier.ClassifierConfig;
import org.decency.testkit.MailCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model trained on part of the SpamAssassin sample ranks the rest far better than chance
 * (0.5). The floor is what 60 mails can show, well below what decency eval measures on the
 * whole corpus (docs/ACCURACY.md), so it fails when the classifier breaks, not when it
 * changes a little.
 */
class CorpusRankingTest {
    @TempDir
    Path dir;

    @Test
    void trainedOnTwoThirdsItRanksTheLastThirdWell() throws Exception {
        MailCorpus corpus = MailCorpus.extract(dir);
        CrossValidation cv = new CrossValidation(ClassifierConfig.defaults());
        List<LabelledMail> spam = cv.read(corpus.spam(), true), ham = cv.read(corpus.ham(), false);
        List<LabelledMail> train = new ArrayList<>(spam.subList(0, 20));
        train.addAll(ham.subList(0, 20));
        List<LabelledMail> test = new ArrayList<>(spam.subList(20, 30));
        test.addAll(ham.subList(20, 30));
        Accuracy a = new Accuracy(cv.trainAndTest(train, test));
        assertThat(a.auc()).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void threeFoldsOfTheWholeSampleRankWell() throws Exception {
        MailCorpus corpus = MailCorpus.extract(dir);
        CrossValidation cv = new CrossValidation(ClassifierConfig.defaults());
        Accuracy a = new Accuracy(cv.folds(cv.read(corpus.ham(), false), cv.read(corpus.spam(), true), 3));
        assertThat(a.spam() + a.ham()).isEqualTo(60);
        assertThat(a.auc()).isGreaterThanOrEqualTo(0.9);
    }
}
