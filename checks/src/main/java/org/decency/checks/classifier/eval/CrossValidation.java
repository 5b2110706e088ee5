package org.decency.checks.classifier.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.decency.checks.classifier.ClassifierConfig;
import org.decency.checks.classifier.TrainingOrder;
import org.decency.checks.classifier.model.Classification;
import org.decency.checks.classifier.model.SpamModel;
import org.decency.checks.classifier.tokenizer.MailTokenizer;
import org.decency.checks.engine.NothingLearnedException;
import org.decency.checks.engine.Trainable.Lesson;
import org.decency.store.InMemoryStore;

/**
 * Trains a fresh model (in an in-memory store, the same code as the check's) on some
 * mails and classifies others: K-fold cross-validation or one train/test split. Folds are
 * fixed so another filter can be run on exactly the same ones: the ham and the spam are
 * each sorted by path, and the i-th mail of each goes to fold {@code i mod K}.
 */
public final class CrossValidation {
    private final ClassifierConfig config;
    private final MailTokenizer tokenizer;

    public CrossValidation(ClassifierConfig config) {
        this.config = config;
        this.tokenizer = config.tokenizer();
    }

    /** Reads the tokens of every file, in parallel. */
    public List<LabelledMail> read(List<Path> files, boolean spam) {
        List<Path> sorted = files.stream().sorted().toList();
        return IntStream.range(0, sorted.size()).parallel().mapToObj(i -> {
            try (InputStream in = Files.newInputStream(sorted.get(i))) {
                return new LabelledMail(sorted.get(i), spam, tokenizer.tokenize(in).hashes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    /** The fold of each mail: its index within its class, modulo {@code k}. */
    public static int foldOf(int indexInClass, int k) {
        return indexInClass % k;
    }

    public List<Scored> folds(List<LabelledMail> ham, List<LabelledMail> spam, int k) {
        List<Scored> out = new ArrayList<>();
        for (int fold = 0; fold < k; fold++) {
            List<LabelledMail> train = new ArrayList<>(), test = new ArrayList<>();
            split(ham, k, fold, train, test);
            split(spam, k, fold, train, test);
            out.addAll(trainAndTest(train, test));
        }
        return out;
    }

    private static void split(List<LabelledMail> mails, int k, int fold, List<LabelledMail> train, List<LabelledMail> test) {
        for (int i = 0; i < mails.size(); i++) (foldOf(i, k) == fold ? test : train).add(mails.get(i));
    }

    /** Trains as decency train does with the spam and ham in one call: mixed ({@link TrainingOrder}), the model's passes. */
    public List<Scored> trainAndTest(List<LabelledMail> train, List<LabelledMail> test) {
        SpamModel model = config.model(new InMemoryStore(Clock.systemUTC()), "eval:");
        String user = ClassifierConfig.DEFAULT_MODEL;
        List<LabelledMail> lessons = TrainingOrder.mixed(train, LabelledMail::file);
        for (LabelledMail m : lessons) {
            try {
                model.learn(user, m.tokens(), lesson(m), false);
            } catch (NothingLearnedException duplicate) {
                // the same mail twice in the corpus: learnt once
            }
        }
        for (int pass = 2; pass <= config.passes(); pass++) {
            for (LabelledMail m : lessons) model.relearn(user, m.tokens(), lesson(m));
        }
        List<Scored> out = new ArrayList<>(test.size());
        for (LabelledMail m : test) {
            Classification c = model.classify(user, m.tokens());
            out.add(new Scored(m.spam(), c.probability(), c.probability(), c.rank()));
        }
        return out;
    }

    private static Lesson lesson(LabelledMail m) {
        return m.spam() ? Lesson.SPAM : Lesson.HAM;
    }
}
