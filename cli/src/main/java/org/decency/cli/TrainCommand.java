package org.decency.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.decency.checks.classifier.ClassifierCheck;
import org.decency.checks.classifier.ClassifierConfig;
import org.decency.checks.classifier.TrainingOrder;
import org.decency.checks.engine.NothingLearnedException;
import org.decency.checks.engine.Trainable;
import org.decency.checks.engine.TrainingDisabledException;
import org.decency.pipeline.Module;
import org.decency.store.InMemoryStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code decency train spam|ham FILE|DIR...} (or {@code both --spam FILE|DIR... --ham FILE|DIR...},
 * the two mixed in a fixed order, as a Classifier with {@code model: logistic} learns best, in its
 * {@code passes} passes): teaches every module of the Detective's
 * config whose engine learns (the Classifier, Bogofilter, CRM114, SpamAssassin, DSPAM) that the mails are
 * spam or ham, or with {@code --forget} takes that lesson back. A folder stands for every
 * regular file in it, recursively (a Maildir's {@code cur/} and {@code new/}); files whose
 * name starts with a dot and a Maildir's {@code tmp/} are left out: they are mails still
 * being written. A file in mbox format (starting with a {@code From } line) is read as the
 * mails in it. With {@code --remove} a file is deleted once every module learnt it, the way
 * HoneyCollector's {@code <collect_dir>/spam/} copies are emptied.
 *
 * <p>Exit status: 0 when every module learnt every mail, 1 when some lessons failed, 2 for
 * a config error, a missing file or folder, or a config without a learning module.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Teach the Detective's learning filters (Classifier, Bogofilter, CRM114, SpamAssassin, DSPAM) mails known to be spam or ham.")
final class TrainCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "spam or ham: what the mails are; both: the mails of --spam and --ham, mixed")
    String what;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "FILE|DIR",
            description = "mail files (header, blank line, body; or mbox files), or folders: every regular file in them, recursively")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--spam", arity = "1..*", paramLabel = "FILE|DIR", description = "with both: the spam")
    List<Path> spamPaths = new ArrayList<>();

    @Option(names = "--ham", arity = "1..*", paramLabel = "FILE|DIR", description = "with both: the ham")
    List<Path> hamPaths = new ArrayList<>();

    /** A file and what its mails are. */
    record Taught(Path file, Trainable.Lesson lesson) {}

    @Option(names = {"-c", "--config"}, defaultValue = "${env:DECENCY_HOME:-.}/config/detective.yml",
            description = "detective.yml (default: ${DEFAULT-VALUE})")
    Path config;

    @Option(names = "--forget", description = "take the lesson back (the mails were taught as spam or ham by mistake)")
    boolean forget;

    @Option(names = "--user", description = "whose model learns (default: each module's default_user, else the engine's own)")
    String user;

    @Option(names = "--module", split = ",", description = "only these modules (their names in the config)")
    List<String> only;

    @Option(names = "--remove", description = "delete each file once every module learnt it")
    boolean remove;

    @Override
    public Integer call() {
        Trainable.Lesson lesson;
        switch (what.toLowerCase(Locale.ROOT)) {
            case "spam" -> lesson = Trainable.Lesson.SPAM;
            case "ham" -> lesson = Trainable.Lesson.HAM;
            case "both" -> lesson = null;
            default -> {
                return fail("expected spam, ham or both, got \"" + what + "\"");
            }
        }
        if (lesson == null ? paths.size() > 0 || spamPaths.isEmpty() || hamPaths.isEmpty()
                : paths.isEmpty() || !spamPaths.isEmpty() || !hamPaths.isEmpty()) {
            return fail("give spam or ham and the mails, or both --spam MAILS --ham MAILS");
        }
        for (List<Path> list : List.of(paths, spamPaths, hamPaths)) {
            for (Path p : list) {
                if (!Files.exists(p)) return fail("no file or folder " + p);
            }
        }
        Clock clock = Clock.systemUTC();
        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        DetectiveRunner.Assembly a = DetectiveRunner.assemble(config, clock, sc -> new InMemoryStore(clock), blocking);
        Map<String, Trainable> learners = learners(a);
        if (learners.values().stream().anyMatch(Trainable::keepsLessonsInStore)) {
            // the Classifier keeps its lessons in Decency's own store: open the configured one
            close(a);
            a = DetectiveRunner.assemble(config, clock, sc -> sc.open(clock), blocking);
            learners = learners(a);
        }
        try {
            a.warnings().forEach(w -> System.out.println("warning: " + w));
            if (only != null) {
                for (String name : only) {
                    if (learners.keySet().stream().noneMatch(name::equalsIgnoreCase)) {
                        return fail("no learning module " + name + " in " + config);
                    }
                }
            }
            if (learners.isEmpty()) {
                return fail("no module in " + config + " learns (Classifier, Bogofilter, CRM114, SpamAssassin and DSPAM do)");
            }
            List<Taught> files = new ArrayList<>();
            if (lesson != null) {
                files(paths).forEach(f -> files.add(new Taught(f, lesson)));
            } else {
                files(spamPaths).forEach(f -> files.add(new Taught(f, Trainable.Lesson.SPAM)));
                files(hamPaths).forEach(f -> files.add(new Taught(f, Trainable.Lesson.HAM)));
            }
            List<Taught> lessons = lesson != null ? files : TrainingOrder.mixed(files, Taught::file);
            System.out.println((forget ? "forgetting " : "training ") + lessons.size() + (lessons.size() == 1 ? " file" : " files")
                    + " as " + (lesson == null ? "spam and ham, mixed" : lesson.name().toLowerCase(Locale.ROOT)) + ": "
                    + String.join(", ", learners.keySet()));
            if (lesson != null && !forget && learners.values().stream()
                    .anyMatch(t -> t instanceof ClassifierCheck c && c.config().kind() == ClassifierConfig.Kind.LOGISTIC)) {
                System.out.println("note: a new Classifier model learns best from spam and ham mixed: decency train both --spam ... --ham ...");
            }
            int status = train(learners, lessons);
            if (!forget && !remove) morePasses(learners, lessons);
            return status;
        } finally {
            close(a);
            blocking.shutdownNow();
        }
    }

    private Map<String, Trainable> learners(DetectiveRunner.Assembly a) {
        Map<String, Trainable> learners = new LinkedHashMap<>();
        for (Module m : a.pipeline().pipeline().modules()) {
            if (m.check() instanceof Trainable t && (only == null || only.stream().anyMatch(m.name()::equalsIgnoreCase))) {
                learners.put(m.name(), t);
            }
        }
        return learners;
    }

    private static void close(DetectiveRunner.Assembly a) {
        for (Module m : a.pipeline().pipeline().modules()) {
            if (m.check() instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // only connections kept for later
                }
            }
        }
        a.store().close();
    }

    /**
     * A Classifier whose model learns by steps (model: logistic) makes {@code passes} passes
     * over the mails of the call, in the order of the first (the lessons themselves). Each
     * mail is read and tokenized once for the further passes, as long as the features kept
     * fit in {@link #featureBudget}; the mails after that are read again at every pass.
     */
    private void morePasses(Map<String, Trainable> learners, List<Taught> lessons) {
        for (var e : learners.entrySet()) {
            if (!(e.getValue() instanceof ClassifierCheck c) || c.config().passes() < 2) continue;
            System.out.println(e.getKey() + ": " + (c.config().passes() - 1) + " more passes");
            List<PassItem> items = readOnce(e.getKey(), c, lessons);
            String who = user == null ? "" : user;
            for (int pass = 2; pass <= c.config().passes(); pass++) {
                for (PassItem item : items) {
                    try {
                        switch (item) {
                            case Kept k -> c.relearn(k.features(), who, k.lesson());
                            case Reread r -> withMails(r.file(), mails -> {
                                for (Path mail : mails.subList(Math.min(r.from(), mails.size()), mails.size())) c.relearn(mail, who, r.lesson());
                            });
                        }
                    } catch (IOException | RuntimeException x) {
                        System.err.println("error: " + (item instanceof Reread r ? r.file() + ": " : "") + prefixed(e.getKey(), x));
                    }
                }
            }
        }
    }

    /** The mails of the lessons as the further passes take them: features kept while they fit, then the files to read again. */
    private static List<PassItem> readOnce(String module, ClassifierCheck c, List<Taught> lessons) {
        long budget = featureBudget();
        long[] kept = {0};
        List<PassItem> items = new ArrayList<>();
        for (Taught t : lessons) {
            if (kept[0] >= budget) {
                items.add(new Reread(t.file(), 0, t.lesson()));
                continue;
            }
            try {
                withMails(t.file(), mails -> {
                    int read = 0;
                    for (Path mail : mails) {
                        if (kept[0] >= budget) break;
                        long[] features = c.features(mail);
                        kept[0] += features.length;
                        items.add(new Kept(features, t.lesson()));
                        read++;
                    }
                    if (read < mails.size()) items.add(new Reread(t.file(), read, t.lesson()));
                });
            } catch (IOException | RuntimeException x) {
                System.err.println("error: " + t.file() + ": " + prefixed(module, x));
            }
        }
        return items;
    }

    /** A mail of the further passes: its features as read once, or a file (from its mail {@code from} on) to read at every pass. */
    private sealed interface PassItem permits Kept, Reread {}

    private record Kept(long[] features, Trainable.Lesson lesson) implements PassItem {}

    private record Reread(Path file, int from, Trainable.Lesson lesson) implements PassItem {}

    /**
     * Features kept between the passes at most: a quarter of the heap at about 9 bytes a
     * feature (a long and the array's share), and no more than {@link #FEATURES_KEPT}.
     */
    static long featureBudget() {
        return Math.min(featuresKept, Runtime.getRuntime().maxMemory() / 4 / 9);
    }

    /** 20 million features (about 180 MB), some 90,000 mails. */
    static final long FEATURES_KEPT = 20_000_000;
    /** {@link #FEATURES_KEPT}; a test lowers it to compare with reading every pass. */
    static volatile long featuresKept = FEATURES_KEPT;

    private interface MailsAction {
        void on(List<Path> mails) throws IOException;
    }

    /**
     * {@code action} on the mails of {@code file}: the file itself, or the mails of an mbox,
     * split into a folder that is deleted after.
     */
    private static void withMails(Path file, MailsAction action) throws IOException {
        Path split = null;
        try {
            List<Path> mails = List.of(file);
            if (Mbox.isMbox(file)) {
                split = Files.createTempDirectory("decency-mbox");
                List<Path> parts = Mbox.split(file, split);
                if (parts.size() > 1) mails = parts; // one mail after a From line: the file as it is, as before
            }
            action.on(mails);
        } finally {
            if (split != null) deleteTree(split);
        }
    }

    private int train(Map<String, Trainable> learners, List<Taught> lessons) {
        Map<String, int[]> counts = new LinkedHashMap<>(); // trained, errors, not required (known already)
        Map<String, String> disabled = new LinkedHashMap<>();
        learners.keySet().forEach(n -> counts.put(n, new int[3]));
        int removed = 0, notRemoved = 0;
        for (Taught taught : lessons) {
            Path file = taught.file();
            Trainable.Lesson lesson = taught.lesson();
            boolean[] allLearnt = {true};
            try {
                withMails(file, mails -> {
                    for (Path mail : mails) {
                        for (var e : learners.entrySet()) {
                            if (disabled.containsKey(e.getKey())) continue;
                            int[] c = counts.get(e.getKey());
                            try {
                                e.getValue().train(mail, user == null ? "" : user, lesson, forget);
                                c[0]++;
                            } catch (TrainingDisabledException x) {
                                disabled.put(e.getKey(), x.getMessage());
                            } catch (NothingLearnedException x) {
                                c[2]++;
                            } catch (IOException | RuntimeException x) {
                                c[1]++;
                                allLearnt[0] = false;
                                System.err.println("error: " + file + (mails.size() > 1 ? " (mail " + (mails.indexOf(mail) + 1) + ")" : "")
                                        + ": " + prefixed(e.getKey(), x));
                            }
                        }
                    }
                });
            } catch (IOException x) {
                allLearnt[0] = false;
                learners.keySet().forEach(n -> counts.get(n)[1]++);
                System.err.println("error: " + file + ": cannot read it: " + x.getMessage());
            }
            if (remove && allLearnt[0] && disabled.size() < learners.size()) {
                try {
                    Files.delete(file);
                    removed++;
                } catch (IOException x) {
                    notRemoved++;
                    System.err.println("error: cannot remove " + file + ": " + x.getMessage());
                }
            }
        }
        boolean errors = notRemoved > 0;
        for (var e : counts.entrySet()) {
            String off = disabled.get(e.getKey());
            if (off != null) {
                System.out.println(e.getKey() + ": not trained: " + off);
                continue;
            }
            int[] c = e.getValue();
            System.out.println(e.getKey() + ": " + c[0] + (forget ? " forgotten, " : " trained, ") + (c[2] > 0 ? c[2] + " not required, " : "")
                    + c[1] + (c[1] == 1 ? " error" : " errors"));
            if (c[1] > 0) errors = true;
        }
        if (disabled.size() == learners.size()) errors = true;
        if (remove) System.out.println("removed " + removed + (removed == 1 ? " file" : " files"));
        return errors ? 1 : 0;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder: the system cleans it up
        }
    }

    private static String prefixed(String module, Exception x) {
        String m = x.getMessage() == null ? x.getClass().getSimpleName() : x.getMessage();
        return m.startsWith(module + ":") ? m : module + ": " + m;
    }

    /** The files to learn from: the files named, and the files in the folders named, each once, in order. */
    static List<Path> files(List<Path> paths) {
        Set<Path> out = new LinkedHashSet<>();
        for (Path p : paths) {
            if (!Files.isDirectory(p)) {
                if (Files.isRegularFile(p)) out.add(p.toAbsolutePath().normalize());
                continue;
            }
            List<Path> found = new ArrayList<>();
            try (Stream<Path> s = Files.walk(p)) {
                s.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && !hidden(f) && !inMaildirTmp(f))
                        .forEach(found::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the folder " + p + ": " + e.getMessage(), e);
            }
            found.stream().map(f -> f.toAbsolutePath().normalize()).sorted().forEach(out::add);
        }
        return List.copyOf(out);
    }

    /**
     * A file whose name starts with a dot: still being written (HoneyCollector and Archive
     * write to such a name and rename it when done) or no mail. Folders with a dot are
     * walked: a Maildir++'s folders are called {@code .Junk}, {@code .Spam}.
     */
    private static boolean hidden(Path f) {
        return f.getFileName().toString().startsWith(".");
    }

    /** A Maildir's tmp/ holds mails being delivered. */
    private static boolean inMaildirTmp(Path f) {
        Path dir = f.getParent();
        if (dir == null || !dir.getFileName().toString().equals("tmp")) return false;
        Path box = dir.getParent();
        return box != null && Files.isDirectory(box.resolve("cur")) && Files.isDirectory(box.resolve("new"));
    }

    private static int fail(String message) {
        System.err.println("error: " + message);
        return 2;
    }
}
