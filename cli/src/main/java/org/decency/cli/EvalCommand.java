package org.decency.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.decency.checks.classifier.ClassifierCheck;
import org.decency.checks.classifier.ClassifierConfig;
import org.decency.checks.classifier.eval.Accuracy;
import org.decency.checks.classifier.eval.CrossValidation;
import org.decency.checks.classifier.eval.LabelledMail;
import org.decency.checks.classifier.eval.Scored;
import org.decency.pipeline.Module;
import org.decency.store.InMemoryStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code decency eval}: how well the Classifier separates spam from ham, on mails of known
 * class, with fresh models in memory (the configured store is not touched). Either K-fold
 * cross-validation ({@code --ham DIR --spam DIR --folds K}) or one split ({@code
 * --train-ham ... --test-spam}); or, with {@code --scores FILE}, the same figures for another
 * filter's answers (lines {@code spam|ham RANK [PROBABILITY]}), so two filters are measured
 * by one yardstick. Prints AUC, (1-AUC)%, spam recall at 0%, 0.1% and 1% false positives
 * and the confusion matrix at the module's cutoffs.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Measure the Classifier on mails of known class: cross-validation or a train/test split.")
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--ham", arity = "1..*", description = "ham: files or folders (cross-validation)")
    List<Path> ham = new ArrayList<>();

    @Option(names = "--spam", arity = "1..*", description = "spam: files or folders (cross-validation)")
    List<Path> spam = new ArrayList<>();

    @Option(names = "--folds", defaultValue = "10", description = "folds of the cross-validation (default: ${DEFAULT-VALUE})")
    int folds;

    @Option(names = "--train-ham", arity = "1..*") List<Path> trainHam = new ArrayList<>();
    @Option(names = "--train-spam", arity = "1..*") List<Path> trainSpam = new ArrayList<>();
    @Option(names = "--test-ham", arity = "1..*") List<Path> testHam = new ArrayList<>();
    @Option(names = "--test-spam", arity = "1..*") List<Path> testSpam = new ArrayList<>();

    @Option(names = "--scores", description = "measure another filter's answers instead: lines 'spam|ham RANK [PROBABILITY]'")
    Path scores;

    @Option(names = "--speed", description = "instead of accuracy: time training and classifying the --ham and --spam mails "
            + "through an embedded store in a temporary file, one thread")
    boolean speed;

    @Option(names = "--spam-cutoff", description = "the confusion matrix's spam cutoff (default: the module's spam_cutoff)")
    Double spamCutoff;

    @Option(names = "--ham-cutoff", description = "the confusion matrix's ham cutoff (default: the module's ham_cutoff)")
    Double hamCutoff;

    @Option(names = {"-c", "--config"}, description = "detective.yml whose Classifier module's settings to measure (default: the defaults)")
    Path config;

    @Option(names = "--module", defaultValue = "Classifier", description = "the module's name in the config (default: ${DEFAULT-VALUE})")
    String module;

    @Override
    public Integer call() {
        ClassifierConfig settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage());
        }
        try {
            List<Scored> answers;
            if (speed) {
                if (ham.isEmpty() || spam.isEmpty()) return fail("--speed needs --ham and --spam");
                return ClassifierSpeed.run(settings, files(ham), files(spam));
            }
            if (scores != null) {
                answers = readScores(scores);
            } else if (!ham.isEmpty() || !spam.isEmpty()) {
                if (ham.isEmpty() || spam.isEmpty()) return fail("cross-validation needs --ham and --spam");
                if (folds < 2) return fail("--folds must be 2 or more");
                CrossValidation cv = new CrossValidation(settings);
                List<LabelledMail> h = cv.read(files(ham), false), s = cv.read(files(spam), true);
                System.out.println(folds + "-fold cross-validation: fold of a mail = its index among its class's mails, sorted by path, mod " + folds);
                answers = cv.folds(h, s, folds);
            } else if (!trainHam.isEmpty() && !trainSpam.isEmpty() && !testHam.isEmpty() && !testSpam.isEmpty()) {
                CrossValidation cv = new CrossValidation(settings);
                List<LabelledMail> train = new ArrayList<>(cv.read(files(trainHam), false));
                train.addAll(cv.read(files(trainSpam), true));
                List<LabelledMail> test = new ArrayList<>(cv.read(files(testHam), false));
                test.addAll(cv.read(files(testSpam), true));
                System.out.println("trained on " + train.size() + " mails, tested on " + test.size());
                answers = cv.trainAndTest(train, test);
            } else {
                return fail("give --ham and --spam (cross-validation), all four of --train-ham --train-spam --test-ham --test-spam, or --scores");
            }
            System.out.print(new Accuracy(answers).report(spamCutoff != null ? spamCutoff : settings.spamCutoff(),
                    hamCutoff != null ? hamCutoff : settings.hamCutoff()));
            return 0;
        } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException e) {
            return fail(e.getMessage());
        }
    }

    private List<Path> files(List<Path> paths) throws IOException {
        for (Path p : paths) if (!Files.exists(p)) throw new IOException("no file or folder " + p);
        return TrainCommand.files(paths);
    }

    private ClassifierConfig settings() {
        if (config == null) return ClassifierConfig.defaults();
        if (!Files.isRegularFile(config)) throw new IllegalArgumentException("no config file " + config);
        Clock clock = Clock.systemUTC();
        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        DetectiveRunner.Assembly a = DetectiveRunner.assemble(config, clock, sc -> new InMemoryStore(clock), blocking);
        try {
            for (Module m : a.pipeline().pipeline().modules()) {
                if (m.check() instanceof ClassifierCheck c && m.name().equalsIgnoreCase(module)) return c.config();
            }
            throw new IllegalArgumentException("no Classifier module " + module + " in " + config);
        } finally {
            blocking.shutdownNow();
            a.store().close();
        }
    }

    static List<Scored> readScores(Path file) throws IOException {
        List<Scored> out = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(file)) {
            n++;
            String[] w = line.strip().split("\\s+");
            if (w.length == 0 || w[0].isEmpty() || w[0].startsWith("#")) continue;
            boolean isSpam = switch (w[0].toLowerCase(Locale.ROOT)) {
                case "spam" -> true;
                case "ham" -> false;
                default -> throw new IOException(file + ":" + n + ": expected spam or ham first, got " + w[0]);
            };
            try {
                double rank = Double.parseDouble(w[1]);
                out.add(new Scored(isSpam, w.length > 2 ? Double.parseDouble(w[2]) : rank, rank));
            } catch (RuntimeException e) {
                throw new IOException(file + ":" + n + ": expected 'spam|ham RANK [PROBABILITY]', got: " + line);
            }
        }
        return out;
    }

    private static int fail(String message) {
        System.err.println("error: " + message);
        return 2;
    }
}
