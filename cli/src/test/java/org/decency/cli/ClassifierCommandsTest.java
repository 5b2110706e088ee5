package org.decency.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.decency.store.embedded.EmbeddedStore;
import org.decency.testkit.MailCorpus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code decency train} into the Classifier's store (Maildir folders and mbox files) and {@code decency eval}. */
class ClassifierCommandsTest {
    @TempDir
    Path dir;
    MailCorpus corpus;
    Path cfg;


    @BeforeEach
    void setUp() throws IOException {
        corpus = MailCorpus.extract(dir.resolve("corpus"));
        cfg = Files.writeString(dir.resolve("detective.yml"), """
                server: {host: 127.0.0.1, port: 0}
                spool_dir: spool
                reinject: {host: 127.0.0.1, port: 10250}
                spam: {behavior: scoring, threshold: -50, handle: tag}
                database: {path: decency.db}
                modules:
                  - Classifier: {min_learned: 5, spam_cutoff: 0.9}
                """);
    }

    private CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** The ham as one mbox file, with a body line that mboxrd quotes. */
    Path hamMbox() throws IOException {
        StringBuilder b = new StringBuilder();
        for (Path p : corpus.ham().subList(0, 10)) {
            String mail = Files.readString(p, StandardCharsets.ISO_8859_1).replaceFirst("^From [^\n]*\n", "");
            b.append("From someone@example.org Sat Mar  1 12:00:00 2025\n").append(mail.replaceAll("(?m)^From ", ">From "));
            if (!mail.endsWith("\n")) b.append('\n');
            b.append('\n');
        }
        return Files.writeString(dir.resolve("ham.mbox"), b.toString(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void trainingGoesToTheConfiguredStoreAndMboxFilesAreReadMailByMail() throws Exception {
        CliRun spam = run("train", "spam", corpus.spam().get(0).getParent().toString(), "-c", cfg.toString());
        assertThat(spam.exit()).as(spam.err()).isZero();
        assertThat(spam.out()).contains("Classifier: 30 trained, 0 errors");
        CliRun ham = run("train", "ham", hamMbox().toString(), "-c", cfg.toString());
        assertThat(ham.exit()).as(ham.err()).isZero();
        assertThat(ham.out()).contains("training 1 file as ham").contains("Classifier: 10 trained, 0 errors");
        try (EmbeddedStore store = EmbeddedStore.open(dir.resolve("decency.db"), Clock.systemUTC(), 1000)) {
            assertThat(store.get("classifier:Classifier:w:global:#")).as("the totals, spam in the high 32 bits")
                    .contains(Long.toString((30L << 32) + 10));
        }
        CliRun again = run("train", "ham", hamMbox().toString(), "-c", cfg.toString());
        assertThat(again.out()).contains("Classifier: 0 trained, 10 not required, 0 errors");
        CliRun forget = run("train", "ham", "--forget", hamMbox().toString(), "-c", cfg.toString());
        assertThat(forget.out()).contains("Classifier: 10 forgotten, 0 errors");
    }

    @Test
    void bothClassesInOneCallAreMixedAndPassedOverAgain() throws Exception {
        Path spamDir = corpus.spam().get(0).getParent();
        CliRun both = run("train", "both", "--spam", spamDir.toString(), "--ham", hamMbox().toString(), "-c", cfg.toString());
        assertThat(both.exit()).as(both.err()).isZero();
        assertThat(both.out()).contains("training 31 files as spam and ham, mixed").contains("Classifier: 40 trained, 0 errors")
                .contains("Classifier: 9 more passes");
        try (EmbeddedStore store = EmbeddedStore.open(dir.resolve("decency.db"), Clock.systemUTC(), 1000)) {
            assertThat(store.get("classifier:Classifier:w:global:#")).contains(Long.toString((30L << 32) + 10));
        }
        assertThat(run("train", "both", spamDir.toString(), "-c", cfg.toString()).exit()).as("both takes --spam and --ham").isEqualTo(2);
        assertThat(run("train", "spam", "--ham", spamDir.toString(), "-c", cfg.toString()).exit()).isEqualTo(2);
    }

    @Test
    void theFurtherPassesOverMailsReadOnceGiveTheModelThatReadingThemEveryPassGives() throws Exception {
        Path spamDir = corpus.spam().get(0).getParent();
        assertThat(run("train", "both", "--spam", spamDir.toString(), "--ham", hamMbox().toString(), "-c", cfg.toString()).exit()).isZero();
        Map<Long, Long> weights = weights(dir.resolve("decency.db"));
        assertThat(weights).hasSizeGreaterThan(1000);
        // 0: every mail read again at every pass; 3,000 features: the budget runs out among the mails, in the mbox or before it
        for (long budget : new long[] {0, 3_000}) {
            Path db = dir.resolve("budget" + budget + ".db");
            Path cfg2 = Files.writeString(dir.resolve("budget" + budget + ".yml"),
                    Files.readString(cfg).replace("path: decency.db", "path: " + db.getFileName()));
            long before = TrainCommand.featuresKept;
            TrainCommand.featuresKept = budget;
            try {
                CliRun r = run("train", "both", "--spam", spamDir.toString(), "--ham", hamMbox().toString(), "-c", cfg2.toString());
                assertThat(r.exit()).as(r.err()).isZero();
            } finally {
                TrainCommand.featuresKept = before;
            }
            assertThat(weights(db)).as("budget %d", budget).isEqualTo(weights);
        }
    }

    /** The counters of the embedded store's file: token id to weight. */
    private static Map<Long, Long> weights(Path db) throws Exception {
        Map<Long, Long> out = new java.util.HashMap<>();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
             var rs = c.createStatement().executeQuery("SELECT id, value FROM counters")) {
            while (rs.next()) out.put(rs.getLong(1), rs.getLong(2));
        }
        return out;
    }

    @Test
    void mboxSplitUndoesTheFromQuoting() throws Exception {
        Path mbox = Files.writeString(dir.resolve("two.mbox"), """
                From a@example.org Sat Mar  1 12:00:00 2025
                Subject: one

                >From the start
                >>From twice
                From b@example.org Sat Mar  1 12:00:01 2025
                Subject: two

                body
                """.replace("body\n", "body\n").replace(">>From twice\n", ">>From twice\n\n"));
        Path out = Files.createDirectory(dir.resolve("split"));
        var mails = Mbox.split(mbox, out);
        assertThat(mails).hasSize(2);
        assertThat(Files.readString(mails.get(0))).isEqualTo("Subject: one\n\nFrom the start\n>From twice\n");
        assertThat(Files.readString(mails.get(1))).isEqualTo("Subject: two\n\nbody");
        assertThat(Mbox.isMbox(mbox)).isTrue();
        assertThat(Mbox.isMbox(mails.get(0))).isFalse();
    }

    @Test
    void evalPrintsTheFiguresOfCrossValidationAndOfAnotherFiltersScores() throws Exception {
        Path spam = corpus.spam().get(0).getParent(), ham = corpus.ham().get(0).getParent();
        CliRun cv = run("eval", "--ham", ham.toString(), "--spam", spam.toString(), "--folds", "3", "-c", cfg.toString());
        assertThat(cv.exit()).as(cv.err()).isZero();
        assertThat(cv.out()).contains("mails: 30 ham, 30 spam").containsPattern("AUC 0\\.9\\d+").contains("(1-AUC)%")
                .contains("at 0.1% FP").contains("at spam_cutoff 0.9, ham_cutoff 0.45");
        Path scores = Files.writeString(dir.resolve("scores"), "spam 0.99\nspam 0.7\nham 0.2\nham 0.8\n");
        CliRun other = run("eval", "--scores", scores.toString());
        assertThat(other.out()).contains("AUC 0.750000");
        assertThat(run("eval", "--ham", ham.toString()).exit()).isEqualTo(2);
    }

    @Test
    void evalSpeedTimesTrainingClassifyingAndTheBulkTrainingOfTheDefaultPasses() throws Exception {
        Path spam = corpus.spam().get(0).getParent(), ham = corpus.ham().get(0).getParent();
        CliRun speed = run("eval", "--speed", "--ham", ham.toString(), "--spam", spam.toString(), "-c", cfg.toString());
        assertThat(speed.exit()).as(speed.err()).isZero();
        assertThat(speed.out()).contains("60 mails (30 ham, 30 spam)")
                .containsPattern("train: +\\d+ mails/s \\([\\d.]+ s, cold, 0 duplicates")
                .containsPattern("classify: +\\d+ mails/s \\([\\d.]+ s, pass 8; \\d+ called spam\\)")
                .containsPattern("bulk: +\\d+ mails/s \\([\\d.]+ s, 10 passes as decency train makes them");
        assertThat(speed.out().lines().filter(l -> l.startsWith("bulk:")).count()).isEqualTo(2);
    }
}
