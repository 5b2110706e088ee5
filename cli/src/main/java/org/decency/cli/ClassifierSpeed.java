package org.decency.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.decency.checks.classifier.ClassifierCheck;
import org.decency.checks.classifier.ClassifierConfig;
import org.decency.checks.classifier.ClassifierFactory;
import org.decency.checks.classifier.TrainingOrder;
import org.decency.checks.engine.NothingLearnedException;
import org.decency.checks.engine.Trainable.Lesson;
import org.decency.core.CheckEnvironment;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.Evaluation;
import org.decency.core.Identifiers;
import org.decency.core.MailAddress;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.mail.SpooledMessage;
import org.decency.store.embedded.EmbeddedStore;

/**
 * {@code decency eval --speed}: the Classifier's training and classifying rates on one
 * thread, through the check's own entry points ({@code train} as {@code decency train}
 * calls it, {@code evaluate} as the Detective does) and the embedded store in a fresh
 * file, whose writes to disk (a background thread) are included: the store is closed,
 * i.e. flushed, inside the timed training. Classifying is timed in {@link #CLASSIFY_PASSES}
 * passes, the first with a cold JIT; then training is timed again with the JIT warm, each
 * pass into a fresh file (the steady state of a long-running server; the first passes are a
 * start-up's). Each rate is given twice: by the wall clock, and by the CPU time the process
 * (all its threads) used, which is the fairer figure on a machine that others share.
 */
final class ClassifierSpeed {
    /**
     * Passes over the mails: the first with a cold JIT, the last in the steady state. On one
     * core C2 goes on compiling through the first five passes (its CPU time counted),
     * so, as JMH would, the warm figure is taken after warm-up passes, not right after the start.
     */
    static final int CLASSIFY_PASSES = 8;
    static final int TRAIN_PASSES = 3;

    private ClassifierSpeed() {}

    static int run(ClassifierConfig settings, List<Path> ham, List<Path> spam) throws IOException {
        Path dir = Files.createTempDirectory("decency-speed");
        Path db = dir.resolve("classifier.db");
        Clock clock = Clock.systemUTC();
        List<Path> all = new ArrayList<>();
        List<Lesson> lessons = new ArrayList<>();
        // mixed as decency train both mixes them (one pass: the cost of a lesson; the logistic model's passes repeat it)
        List<Map.Entry<Path, Lesson>> mixed = new ArrayList<>();
        ham.forEach(p -> mixed.add(Map.entry(p, Lesson.HAM)));
        spam.forEach(p -> mixed.add(Map.entry(p, Lesson.SPAM)));
        for (Map.Entry<Path, Lesson> e : TrainingOrder.mixed(mixed, Map.Entry::getKey)) {
            all.add(e.getKey());
            lessons.add(e.getValue());
        }
        long bytes = 0;
        for (Path p : all) bytes += Files.size(p);
        System.out.printf(Locale.ROOT, "%d mails (%d ham, %d spam), %.1f MB%n", all.size(), ham.size(), spam.size(), bytes / 1e6);
        Timed train = train(settings, db, dir, clock, all, lessons);
        System.out.printf(Locale.ROOT, "train:    %6.0f mails/s (%.2f s, cold, %d duplicates; store flushed to %s, %.1f MB); %6.0f mails per CPU second (%.2f s)%n",
                all.size() / train.seconds(), train.seconds(), train.duplicates(), db.getFileName(), Files.size(db) / 1e6,
                all.size() / train.cpuSeconds(), train.cpuSeconds());
        EmbeddedStore store = EmbeddedStore.open(db, clock, 200);
        try {
            ClassifierCheck check = check(settings, store, dir, clock);
            for (int pass = 1; pass <= CLASSIFY_PASSES; pass++) {
                long t1 = System.nanoTime();
                long c1 = cpuNanos();
                int spamCalled = 0;
                for (Path p : all) {
                    Transaction tx = new Transaction(Identifiers.next(), Stage.MESSAGE, Connection.of("192.0.2.1", "", ""),
                            new Envelope(MailAddress.parse("a@example.net"), List.of(MailAddress.parse("b@example.org")), Files.size(p), 1, "", ""),
                            java.util.Map.of(), new SpooledMessage(p));
                    if (check.evaluate(tx, new Evaluation(-50)).flags().contains(ClassifierCheck.SPAM_FLAG)) spamCalled++;
                }
                double s = (System.nanoTime() - t1) / 1e9;
                double cpu = (cpuNanos() - c1) / 1e9;
                System.out.printf(Locale.ROOT, "classify: %6.0f mails/s (%.2f s, pass %d%s; %d called spam); %6.0f mails per CPU second (%.2f s)%n",
                        all.size() / s, s, pass, pass == 1 ? ", cold" : "", spamCalled, all.size() / cpu, cpu);
            }
            // the JIT warm now: the same lessons into a fresh file, as a long-running server learns
            for (int pass = 2; pass <= TRAIN_PASSES; pass++) {
                Path again = dir.resolve("train" + pass + ".db");
                Timed warm = train(settings, again, dir, clock, all, lessons);
                System.out.printf(Locale.ROOT, "train:    %6.0f mails/s (%.2f s, pass %d, into a fresh store, flushed); %6.0f mails per CPU second (%.2f s)%n",
                        all.size() / warm.seconds(), warm.seconds(), pass, all.size() / warm.cpuSeconds(), warm.cpuSeconds());
            }
            if (settings.passes() > 1) {
                // decency train both as it runs on one call's mails: a first pass, the features read once, the further passes
                for (int round = 1; round <= 2; round++) {
                    Timed bulk = bulk(settings, dir.resolve("bulk" + round + ".db"), dir, clock, all, lessons);
                    System.out.printf(Locale.ROOT, "bulk:     %6.0f mails/s (%.2f s, %d passes as decency train makes them, warm, into a fresh"
                                    + " store, flushed); %6.0f mails per CPU second (%.2f s)%n", all.size() / bulk.seconds(), bulk.seconds(),
                            settings.passes(), all.size() / bulk.cpuSeconds(), bulk.cpuSeconds());
                }
            }
        } finally {
            store.close();
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
        return 0;
    }

    /** A timed run: wall and CPU seconds, and the lessons that were taught before. */
    private record Timed(double seconds, double cpuSeconds, int duplicates) {}

    /** Teaches every mail into a fresh embedded store in {@code db}, closing (flushing) it inside the timing. */
    private static Timed train(ClassifierConfig settings, Path db, Path dir, Clock clock, List<Path> all, List<Lesson> lessons)
            throws IOException {
        long t0 = System.nanoTime();
        long c0 = cpuNanos();
        EmbeddedStore store = EmbeddedStore.open(db, clock, 200);
        int dup = teach(check(settings, store, dir, clock), all, lessons);
        store.close();
        return new Timed((System.nanoTime() - t0) / 1e9, (cpuNanos() - c0) / 1e9, dup);
    }

    /** Every mail taught once, in order; the lessons that were taught before. */
    private static int teach(ClassifierCheck check, List<Path> all, List<Lesson> lessons) throws IOException {
        int dup = 0;
        for (int i = 0; i < all.size(); i++) {
            try {
                check.train(all.get(i), "", lessons.get(i), false);
            } catch (NothingLearnedException e) {
                dup++;
            }
        }
        return dup;
    }

    /**
     * A bulk training as {@code decency train both} makes it: every mail taught once, its
     * features read once more and kept, then the further passes over the kept features.
     */
    private static Timed bulk(ClassifierConfig settings, Path db, Path dir, Clock clock, List<Path> all, List<Lesson> lessons)
            throws IOException {
        long t0 = System.nanoTime();
        long c0 = cpuNanos();
        EmbeddedStore store = EmbeddedStore.open(db, clock, 200);
        ClassifierCheck check = check(settings, store, dir, clock);
        int dup = teach(check, all, lessons);
        List<long[]> kept = new ArrayList<>(all.size());
        for (Path p : all) kept.add(check.features(p));
        for (int pass = 2; pass <= settings.passes(); pass++) {
            for (int i = 0; i < all.size(); i++) check.relearn(kept.get(i), "", lessons.get(i));
        }
        store.close();
        return new Timed((System.nanoTime() - t0) / 1e9, (cpuNanos() - c0) / 1e9, dup);
    }

    /**
     * The CPU time of the whole process (every thread: the JIT compilers, the collector, the
     * store's writer), which, unlike the wall time, does not grow when other processes share
     * the core.
     */
    private static long cpuNanos() {
        return java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime();
    }

    private static ClassifierCheck check(ClassifierConfig settings, EmbeddedStore store, Path dir, Clock clock) {
        CheckEnvironment env = new CheckEnvironment(store, clock, dir, "detective", List.of(), List.of());
        return ClassifierFactory.check("Classifier", settings, env);
    }
}
