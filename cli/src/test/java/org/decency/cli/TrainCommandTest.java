package org.decency.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.decency.testkit.MailCorpus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code decency train} end to end with the real bogofilter: the Detective's config names
 * a Bogofilter module with a word list in the test's folder; training through the command
 * line makes {@code decency check-message} call a spam campaign's copy spam.
 */
class TrainCommandTest {
    @TempDir
    Path dir;
    MailCorpus corpus;
    Path cfg;


    @BeforeEach
    void setUp() throws IOException {
        corpus = MailCorpus.extract(dir.resolve("corpus"));
        cfg = config("detective.yml", """
                  - Bogofilter: {default_user: bogo}
                  - Razor: {cmd_check: /bin/cat}
                """);
    }

    Path config(String name, String modules) throws IOException {
        return Files.writeString(dir.resolve(name), """
                server: {host: 127.0.0.1, port: 0}
                spool_dir: spool
                reinject: {host: 127.0.0.1, port: 10250}
                spam: {behavior: scoring, threshold: -50, handle: tag}
                database: {path: never.db}
                modules:
                """ + modules);
    }

    private CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** The first 20 spam as a Maildir (18 in cur/, 2 in new/), with a mail still being delivered in tmp/ and a hidden file. */
    Path spamMaildir() throws IOException {
        Path box = dir.resolve("Maildir/.Junk");
        for (String sub : List.of("cur", "new", "tmp")) Files.createDirectories(box.resolve(sub));
        for (int i = 0; i < 20; i++) {
            Path from = corpus.spam().get(i);
            Files.copy(from, box.resolve(i < 18 ? "cur" : "new").resolve(from.getFileName()));
        }
        Files.copy(corpus.ham().get(25), box.resolve("tmp/being-delivered"));
        Files.copy(corpus.ham().get(26), box.resolve("cur/.hidden"));
        return box;
    }

    Path hamFolder() throws IOException {
        Path ham = Files.createDirectories(dir.resolve("ham"));
        for (Path p : corpus.ham().subList(0, 20)) Files.copy(p, ham.resolve(p.getFileName()));
        return ham;
    }

    Path campaignCopy() throws IOException {
        String s = Files.readString(corpus.spam().get(3), StandardCharsets.ISO_8859_1)
                .replaceFirst("(?im)^Message-ID:.*$", "Message-ID: <campaign-2@bulk.example>")
                .replaceFirst("(?im)^To:.*$", "To: someone-else@example.org");
        return Files.writeString(dir.resolve("campaign.eml"), s, StandardCharsets.ISO_8859_1);
    }

    @Test
    void trainedThroughTheCommandLineTheDetectiveCallsSpamSpam() throws IOException {
        Path mail = campaignCopy();
        CliRun before = run("check-message", mail.toString(), "-c", cfg.toString());
        assertThat(before.out()).doesNotContain("X-Bogosity: Spam");

        CliRun spam = run("train", "spam", spamMaildir().toString(), "-c", cfg.toString());
        assertThat(spam.exit()).as(spam.err()).isZero();
        assertThat(spam.out()).contains("training 20 files as spam: Bogofilter\n", "Bogofilter: 20 trained, 0 errors\n")
                .doesNotContain("Razor");
        CliRun ham = run("train", "ham", hamFolder().toString(), "-c", cfg.toString());
        assertThat(ham.exit()).as(ham.err()).isZero();
        assertThat(ham.out()).contains("Bogofilter: 20 trained, 0 errors");
        assertThat(dir.resolve("bogo/wordlist.db")).isRegularFile();

        CliRun after = run("check-message", mail.toString(), "-c", cfg.toString());
        assertThat(after.exit()).as(after.err()).isZero();
        assertThat(after.out()).contains("decision: tag").containsPattern("Bogofilter=-50\\S*\\s+X-Bogosity: Spam");
        CliRun good = run("check-message", corpus.ham().get(20).toString(), "-c", cfg.toString());
        assertThat(good.out()).containsPattern("Bogofilter=\\+?10\\S*\\s+X-Bogosity: Ham");

        CliRun forget = run("train", "spam", "--forget", dir.resolve("Maildir").toString(), "-c", cfg.toString());
        assertThat(forget.exit()).as(forget.err()).isZero();
        assertThat(forget.out()).contains("forgetting 20 files as spam", "Bogofilter: 20 forgotten, 0 errors");
        assertThat(run("check-message", mail.toString(), "-c", cfg.toString()).out()).doesNotContain("X-Bogosity: Spam");
    }

    @Test
    void honeyCollectorsCopiesAreLearntAndRemoved() throws IOException {
        Path spamDir = Files.createDirectories(dir.resolve("var/spool/honey/2025-03-01/spam"));
        for (Path p : corpus.spam().subList(0, 3)) Files.copy(p, spamDir.resolve(p.getFileName()));
        Files.writeString(spamDir.resolve(".mail-1740830400-x1y2z3.eml"), "half written");

        CliRun r = run("train", "spam", dir.resolve("var/spool/honey").toString() + "/2025-03-01/spam", "--remove", "-c", cfg.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Bogofilter: 3 trained, 0 errors", "removed 3 files");
        try (var s = Files.list(spamDir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly(".mail-1740830400-x1y2z3.eml");
        }
    }

    @Test
    void aModuleThatFailsIsCountedAndItsFilesAreKept() throws IOException {
        Path c = config("broken.yml", """
                  - Bogofilter: {default_user: bogo}
                  - Bogofilter: {name: Broken, default_user: bogo2, cmd_learn_spam: "/bin/sh -c 'echo disk full >&2; exit 3'"}
                """);
        Path spam = Files.createDirectories(dir.resolve("spam"));
        for (Path p : corpus.spam().subList(0, 2)) Files.copy(p, spam.resolve(p.getFileName()));

        CliRun r = run("train", "spam", spam.toString(), "--remove", "-c", c.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("Bogofilter: 2 trained, 0 errors", "Broken: 0 trained, 2 errors", "removed 0 files");
        assertThat(r.err()).contains("error: " + spam.resolve(corpus.spam().getFirst().getFileName()).toAbsolutePath()
                + ": Broken: sh did not take " + corpus.spam().getFirst().getFileName() + ": exited with 3: disk full");
        try (var s = Files.list(spam)) {
            assertThat(s.count()).isEqualTo(2);
        }
        CliRun one = run("train", "spam", spam.toString(), "--module", "bogofilter", "-c", c.toString());
        assertThat(one.exit()).as(one.err()).isZero();
        assertThat(one.out()).contains("as spam: Bogofilter\n").doesNotContain("Broken");
    }

    @Test
    void disabledTrainingIsSaidOnce() throws IOException {
        Path c = config("off.yml", "  - Bogofilter: {default_user: bogo, disable_train: 1}\n");
        CliRun r = run("train", "ham", corpus.ham().get(0).toString(), corpus.ham().get(1).toString(), "-c", c.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("Bogofilter: not trained: Bogofilter: training is off (disable_train: 1)");
    }

    @Test
    void usageAndConfigErrorsExitWithTwo() throws IOException {
        Path mail = corpus.spam().getFirst();
        assertThat(run("train", "junk", mail.toString(), "-c", cfg.toString()).err()).contains("error: expected spam, ham or both, got \"junk\"");
        assertThat(run("train", "junk", mail.toString(), "-c", cfg.toString()).exit()).isEqualTo(2);
        CliRun missing = run("train", "spam", dir.resolve("nothing-here").toString(), "-c", cfg.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("error: no file or folder");
        CliRun none = run("train", "spam", mail.toString(), "-c", config("razor.yml", "  - Razor: {cmd_check: /bin/cat}\n").toString());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("learns (Classifier, Bogofilter, CRM114, SpamAssassin and DSPAM do)");
        CliRun bad = run("train", "spam", mail.toString(), "-c", config("typo.yml", "  - Bogofilter: {default_user: bogo, cmd_lern_spam: x}\n").toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("config error: ").contains("cmd_lern_spam");
        CliRun noModule = run("train", "spam", mail.toString(), "--module", "CRM114", "-c", cfg.toString());
        assertThat(noModule.exit()).isEqualTo(2);
        assertThat(noModule.err()).contains("error: no learning module CRM114");
    }

    @Test
    void aMailTheEngineKnowsAlreadyIsNotRequiredNotAnError() throws IOException {
        try (org.decency.testkit.Spamd spamd = org.decency.testkit.Spamd.start(dir.resolve("spamd"), "use_bayes 1", "--allow-tell")) {
            Path sa = config("sa.yml", "  - SpamAssassin: {port: " + spamd.port() + ", timeout: 60s}\n");
            Path mail = corpus.spam().getFirst();

            CliRun first = run("train", "spam", mail.toString(), "-c", sa.toString());
            assertThat(first.exit()).as(first.err()).isZero();
            assertThat(first.out()).contains("SpamAssassin: 1 trained, 0 errors");

            CliRun again = run("train", "spam", mail.toString(), "-c", sa.toString());
            assertThat(again.exit()).as(again.err()).isZero();
            assertThat(again.out()).contains("SpamAssassin: 0 trained, 1 not required, 0 errors");
        }
    }
}
