package org.decency.checks.bogofilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.decency.checks.support.TestMails.tx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.decency.checks.engine.CommandCheck;
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
import org.decency.pipeline.ModuleOptions;
import org.decency.store.InMemoryStore;
import org.decency.testkit.MailCorpus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bogofilter with the real bogofilter (Debian's package): a word list in a temporary
 * folder, trained on 20 spam and 20 ham of the SpamAssassin corpus, asked about mails it
 * has not seen.
 */
class BogofilterCheckTest {
    @TempDir
    Path dir;
    MailCorpus corpus;
    Path db;
    final ManualClock clock = new ManualClock(Instant.parse("2025-03-01T12:00:00Z"));

    @BeforeEach
    void corpus() throws IOException {
        corpus = MailCorpus.extract(dir.resolve("corpus"));
        db = dir.resolve("bogo");
    }

    BogofilterCheck check(String yaml) throws IOException {
        Path f = Files.writeString(dir.resolve("bogofilter.yml"), yaml);
        ConfigNode n = ConfigLoader.loadFile(f, "");
        ModuleOptions.read("Bogofilter", n);
        CheckEnvironment env = new CheckEnvironment(new InMemoryStore(clock), clock, dir, "detective", List.of(), List.of());
        return (BogofilterCheck) new BogofilterFactory().create("Bogofilter", n, env);
    }

    BogofilterCheck trained() throws IOException {
        BogofilterCheck c = check("default_user: bogo\n");
        for (Path p : corpus.spam().subList(0, 20)) c.train(p, "", Lesson.SPAM, false);
        for (Path p : corpus.ham().subList(0, 20)) c.train(p, "", Lesson.HAM, false);
        return c;
    }

    Outcome ask(CommandCheck c, Path mail) throws Exception {
        return ask(c, Files.readAllBytes(mail));
    }

    Outcome ask(CommandCheck c, byte[] mail) throws Exception {
        return c.evaluate(tx(new TestMails(dir).raw(mail)), new Evaluation(-50));
    }

    /** A trained spam sent again, as a campaign does: another recipient, Message-ID and Date. */
    byte[] campaignCopy(Path spam) throws IOException {
        String s = Files.readString(spam, StandardCharsets.ISO_8859_1)
                .replaceFirst("(?im)^Message-ID:.*$", "Message-ID: <campaign-2@bulk.example>")
                .replaceFirst("(?im)^Date:.*$", "Date: Sat, 01 Mar 2025 11:59:00 +0000")
                .replaceFirst("(?im)^To:.*$", "To: someone-else@example.org");
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void trainedOnTheCorpusItCallsSpamSpamAndHamHam() throws Exception {
        BogofilterCheck c = trained();
        assertThat(db.resolve("wordlist.db")).isRegularFile();

        Outcome spam = ask(c, campaignCopy(corpus.spam().get(3)));
        assertThat(spam.total()).isEqualTo(-50);
        assertThat(spam.flags()).containsExactly("spam");
        assertThat(spam.scores().getFirst().detail()).matches("X-Bogosity: Spam, tests=bogofilter, spamicity=[01]\\.\\d+, version=.*");

        // mails it never saw: never the wrong class, mostly the right one (the rest unsure: 0)
        List<Double> ham = new ArrayList<>(), held = new ArrayList<>();
        for (Path p : corpus.ham().subList(20, 30)) ham.add(ask(c, p).total());
        for (Path p : corpus.spam().subList(20, 30)) held.add(ask(c, p).total());
        assertThat(ham).containsOnly(10.0, 0.0);
        assertThat(ham.stream().filter(s -> s == 10).count()).as("held-out ham called ham: %s", ham).isGreaterThanOrEqualTo(4);
        assertThat(held).containsOnly(-50.0, 0.0);
        assertThat(held.stream().filter(s -> s == -50).count()).as("held-out spam called spam: %s", held).isGreaterThanOrEqualTo(4);

        Outcome h = ask(c, corpus.ham().get(20));
        assertThat(h.total()).isEqualTo(10);
        assertThat(h.flags()).isEmpty();
        assertThat(h.scores().getFirst().detail()).startsWith("X-Bogosity: Ham, tests=bogofilter, spamicity=");
    }

    @Test
    void forgettingTheSpamLessonsTakesTheVerdictBack() throws Exception {
        BogofilterCheck c = trained();
        byte[] copy = campaignCopy(corpus.spam().get(3));
        assertThat(ask(c, copy).total()).isEqualTo(-50);

        for (Path p : corpus.spam().subList(0, 20)) c.train(p, "", Lesson.SPAM, true);

        Outcome o = ask(c, copy);
        assertThat(o.total()).isGreaterThanOrEqualTo(0);
        assertThat(o.flags()).isEmpty();
        assertThat(o.scores().getFirst().detail()).doesNotStartWith("X-Bogosity: Spam");
        // and learning it again brings it back
        for (Path p : corpus.spam().subList(0, 20)) c.train(p, "", Lesson.SPAM, false);
        assertThat(ask(c, copy).total()).isEqualTo(-50);
    }

    @Test
    void applySpamicityScalesTheWeights() throws Exception {
        trained();
        BogofilterCheck c = check("default_user: bogo\napply_spamicity: 1\nweight_spam: -100\n");
        Outcome o = ask(c, campaignCopy(corpus.spam().get(3)));
        double spamicity = Double.parseDouble(o.scores().getFirst().detail().replaceAll(".*spamicity=([0-9.]+).*", "$1"));
        assertThat(o.total()).isEqualTo(-100 * spamicity);
        Outcome h = ask(c, corpus.ham().get(20));
        double hs = Double.parseDouble(h.scores().getFirst().detail().replaceAll(".*spamicity=([0-9.e-]+),.*", "$1"));
        assertThat(h.total()).isEqualTo(10 * (1 - hs));
    }

    @Test
    void weightTranslateStepsOverTheSpamicity() throws Exception {
        trained();
        BogofilterCheck c = check("default_user: bogo\nweight_translate: {0.1: 20, 0.9: 0, 1: -80}\n");
        assertThat(ask(c, campaignCopy(corpus.spam().get(3))).total()).isEqualTo(-80);
        assertThat(ask(c, corpus.ham().get(20)).total()).isEqualTo(20);
    }

    @Test
    void aMissingWordListIsAFailureThatOnFailureHandles() throws Exception {
        Files.createDirectories(db);
        Outcome skip = ask(check("default_user: bogo\n"), corpus.ham().get(0));
        assertThat(skip.total()).isZero();
        assertThat(skip.temporary()).isTrue();
        assertThat(skip.finalWord()).isNull();
        assertThat(skip.scores().getFirst().detail()).startsWith("skipped: bogofilter: exited with 3: Can't open file 'wordlist.db'");

        Outcome defer = ask(check("default_user: bogo\non_failure: tempfail\n"), corpus.ham().get(0));
        assertThat(defer.finalWord().action()).isEqualTo(Action.DEFER);
        assertThat(defer.temporary()).isTrue();
    }

    @Test
    void anEngineThatHangsIsKilledAtTheTimeoutAndOnFailureDecides() throws Exception {
        BogofilterCheck skip = check("default_user: bogo\ntimeout: 1s\ncmd_check: /bin/sh -c 'sleep 10'\n");
        long start = System.nanoTime();
        Outcome o = ask(skip, corpus.ham().get(0));
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(800L, 4000L);
        assertThat(o.total()).isZero();
        assertThat(o.temporary()).isTrue();
        assertThat(o.scores().getFirst().detail()).isEqualTo("skipped: sh: sh took longer than 0.9s; killed");

        BogofilterCheck tempfail = check("default_user: bogo\ntimeout: 1s\non_failure: tempfail\ncmd_check: /bin/sh -c 'sleep 10'\n");
        assertThat(ask(tempfail, corpus.ham().get(0)).finalWord().action()).isEqualTo(Action.DEFER);
        // the pipeline giving up on it (its own timer) ends the same way
        assertThat(tempfail.failed("timeout after 1s").finalWord().action()).isEqualTo(Action.DEFER);
    }

    @Test
    void anAnswerWithoutAVerdictIsAFailure() throws Exception {
        Outcome o = ask(check("default_user: bogo\ncmd_check: /bin/echo all fine\n"), corpus.ham().get(0));
        assertThat(o.temporary()).isTrue();
        assertThat(o.scores().getFirst().detail())
                .isEqualTo("skipped: echo: no X-Bogosity line in its answer (exited with 0; it printed: all fine)");
    }

    @Test
    void maxSizeLeavesLargeMailsAlone() throws Exception {
        Outcome o = ask(check("default_user: bogo\nmax_size: 1k\n"), corpus.ham().get(0));
        assertThat(o.total()).isZero();
        assertThat(o.scores().getFirst().detail()).startsWith("skipped: the mail has ").endsWith("more than max_size 1k");
    }

    @Test
    void theUserFromCmdUserMustBeFitForACommand() throws Exception {
        Outcome o = ask(check("cmd_user: \"echo '../../etc'\"\n"), corpus.ham().get(0));
        assertThat(o.total()).isZero();
        assertThat(o.scores().getFirst().detail()).isEqualTo("skipped: the user \"../../etc\" has a .. step");

        trained();
        Outcome fromCommand = ask(check("cmd_user: \"echo " + db + "\"\n"), campaignCopy(corpus.spam().get(3)));
        assertThat(fromCommand.total()).isEqualTo(-50);
    }

    @Test
    void trainingCanBeTurnedOffAndNeedsAUser() throws Exception {
        BogofilterCheck off = check("default_user: bogo\ndisable_train: 1\n");
        assertThatThrownBy(() -> off.train(corpus.spam().get(0), "", Lesson.SPAM, false)).isInstanceOf(TrainingDisabledException.class);
        BogofilterCheck noHam = check("default_user: bogo\ncmd_learn_ham: \"\"\n");
        assertThatThrownBy(() -> noHam.train(corpus.ham().get(0), "", Lesson.HAM, false))
                .isInstanceOf(TrainingDisabledException.class).hasMessage("Bogofilter: no cmd_learn_ham command");
        BogofilterCheck byCommand = check("cmd_user: echo x\n");
        assertThatThrownBy(() -> byCommand.train(corpus.spam().get(0), "", Lesson.SPAM, false))
                .hasMessage("Bogofilter: cmd_learn_spam needs a user: set default_user or name one (--user)");
        byCommand.train(corpus.spam().get(0), dir.resolve("other").toString(), Lesson.SPAM, false);
        assertThat(dir.resolve("other/wordlist.db")).isRegularFile();
        BogofilterCheck broken = check("default_user: bogo\ncmd_learn_spam: /bin/sh -c 'echo no space left >&2; exit 3'\n");
        assertThatThrownBy(() -> broken.train(corpus.spam().get(0), "", Lesson.SPAM, false))
                .hasMessage("Bogofilter: sh did not take " + corpus.spam().get(0).getFileName() + ": exited with 3: no space left");
    }

    @Test
    void configErrorsNameTheKey() {
        assertThatThrownBy(() -> check("weight_spam: -50\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("default_user: is required: %user% in cmd_check needs default_user");
        assertThatThrownBy(() -> check("default_user: bogo\napply_spamicity: 1\nweight_translate: {0.5: 0}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("apply_spamicity: either apply_spamicity or weight_translate");
        assertThatThrownBy(() -> check("default_user: bogo\ncmd_check: /usr/bin/no-bogofilter -v\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cmd_check: no program /usr/bin/no-bogofilter");
        assertThatThrownBy(() -> check("default_user: bogo\non_failure: maybe\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expected skip or tempfail");
        assertThatThrownBy(() -> check("default_user: bogo\nweight_spam: 50\n")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> check("default_user: bogo\ncmd_chek: x\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cmd_chek");
    }

    @Test
    void theSeedsBogofilterConfigFileAsUserIsNamedAsTheProblem() throws IOException {
        Files.writeString(dir.resolve("bogofilter.cf"), "spam_cutoff=0.99\n");
        assertThatThrownBy(() -> check("default_user: bogofilter.cf\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("default_user: is a file;").hasMessageContaining("-c %user%");
        // with commands of one's own it is what they make of it
        check("default_user: bogofilter.cf\ncmd_check: /usr/bin/bogofilter -c %user% -v\n");
    }

    @Test
    void aRelativeDefaultUserIsTheConfigFilesFolder() throws IOException {
        assertThat(check("default_user: bogo\n").settings().user().defaultUser()).isEqualTo(db.toString());
        assertThat(check("default_user: /var/lib/bogo\n").settings().user().defaultUser()).isEqualTo("/var/lib/bogo");
    }
}
