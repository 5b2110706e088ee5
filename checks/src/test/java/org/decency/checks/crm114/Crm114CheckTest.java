package org.decency.checks.crm114;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.decency.checks.support.TestMails.tx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.decency.checks.engine.Trainable.Lesson;
import org.decency.checks.support.TestMails;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.Action;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.core.Transaction;
import org.decency.pipeline.ModuleOptions;
import org.decency.testkit.MailCorpus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CRM114 with Debian's crm114 (mailreaver.crm to check, mailfilter.crm to learn): a user
 * folder trained on 20 spam and 20 ham of the SpamAssassin corpus, asked about mails it
 * has not seen.
 */
class Crm114CheckTest {
    @TempDir
    static Path shared;
    static MailCorpus corpus;
    static Path trainedHome;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() throws Exception {
        corpus = MailCorpus.extract(shared.resolve("corpus"));
        trainedHome = Crm114Home.create(shared.resolve("crm"));
        Crm114Check c = check(shared, "default_user: crm\n", PasswdHomes.system());
        for (Path p : corpus.spam().subList(0, 20)) c.train(p, "", Lesson.SPAM, false);
        for (Path p : corpus.ham().subList(0, 20)) c.train(p, "", Lesson.HAM, false);
    }

    static Crm114Check check(Path dir, String yaml, PasswdHomes homes) throws IOException {
        Path f = Files.writeString(dir.resolve("crm114.yml"), yaml);
        ConfigNode n = ConfigLoader.loadFile(f, "");
        ModuleOptions.read("CRM114", n);
        Crm114Config config = Crm114Config.from(n);
        n.finish();
        return new Crm114Check("CRM114", config, homes);
    }

    Crm114Check check(String yaml) throws IOException {
        return check(shared, yaml, PasswdHomes.system());
    }

    Outcome ask(Crm114Check c, byte[] mail) throws Exception {
        return c.evaluate(tx(new TestMails(dir).raw(mail)), new Evaluation(-50));
    }

    Outcome ask(Crm114Check c, Path mail) throws Exception {
        return ask(c, Files.readAllBytes(mail));
    }

    static byte[] campaignCopy(Path spam) throws IOException {
        return Files.readString(spam, StandardCharsets.ISO_8859_1)
                .replaceFirst("(?im)^Message-ID:.*$", "Message-ID: <campaign-2@bulk.example>")
                .replaceFirst("(?im)^Date:.*$", "Date: Sat, 01 Mar 2025 11:59:00 +0000")
                .replaceFirst("(?im)^To:.*$", "To: someone-else@example.org").getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void trainedOnTheCorpusItCallsSpamSpamAndHamHam() throws Exception {
        Crm114Check c = check("default_user: crm\n");
        Outcome spam = ask(c, campaignCopy(corpus.spam().get(3)));
        assertThat(spam.total()).isEqualTo(-50);
        assertThat(spam.flags()).containsExactly("spam");
        assertThat(spam.scores().getFirst().detail()).matches("X-CRM114-Status: SPAM +\\( +-\\d+\\.\\d+ +\\)");

        List<Double> ham = new ArrayList<>(), held = new ArrayList<>();
        for (Path p : corpus.ham().subList(20, 30)) ham.add(ask(c, p).total());
        for (Path p : corpus.spam().subList(20, 30)) held.add(ask(c, p).total());
        assertThat(ham).containsOnly(10.0, 0.0);
        assertThat(ham.stream().filter(s -> s == 10).count()).as("held-out ham called good: %s", ham).isGreaterThanOrEqualTo(4);
        assertThat(held).containsOnly(-50.0, 0.0);
        assertThat(held.stream().filter(s -> s == -50).count()).as("held-out spam called spam: %s", held).isGreaterThanOrEqualTo(4);

        Outcome good = ask(c, corpus.ham().get(20));
        assertThat(good.total()).isEqualTo(10);
        assertThat(good.flags()).isEmpty();
        assertThat(good.scores().getFirst().detail()).matches("X-CRM114-Status: GOOD +\\( +\\d+\\.\\d+ +\\)");
        // with the logging turned off and --dontstore, CRM114 kept no copy of the mails it was asked about
        assertThat(trainedHome.resolve("allmail.txt")).doesNotExist();
        assertThat(trainedHome.resolve("rejected_by_css.txt")).doesNotExist();
        assertThat(trainedHome.resolve("reaver_cache/texts")).satisfiesAnyOf(
                p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
    }

    @Test
    void weightTranslateStepsOverCrm114sScore() throws Exception {
        Crm114Check c = check("default_user: crm\nweight_translate: {5: 20, 1: 10, 0: 0, -2: 0, -3: -50, -10: -100}\n");
        Outcome spam = ask(c, campaignCopy(corpus.spam().get(3)));
        double pr = Double.parseDouble(spam.scores().getFirst().detail().replaceAll(".*\\(\\s*(\\S+)\\s*\\).*", "$1"));
        assertThat(pr).isLessThan(-10);
        assertThat(spam.total()).isEqualTo(-100);
        assertThat(spam.flags()).containsExactly("spam");
        Outcome good = ask(c, corpus.ham().get(20));
        assertThat(good.total()).isEqualTo(20);
    }

    @Test
    void forgettingTheSpamLessonsTakesTheVerdictBack() throws Exception {
        Crm114Home.create(dir.resolve("crm"));
        Crm114Check c = check(dir, "default_user: crm/\n", PasswdHomes.system());
        for (Path p : corpus.spam().subList(0, 20)) c.train(p, "", Lesson.SPAM, false);
        for (Path p : corpus.ham().subList(0, 20)) c.train(p, "", Lesson.HAM, false);
        byte[] copy = campaignCopy(corpus.spam().get(3));
        assertThat(ask(c, copy).total()).isEqualTo(-50);

        for (Path p : corpus.spam().subList(0, 20)) c.train(p, "", Lesson.SPAM, true);

        Outcome o = ask(c, copy);
        assertThat(o.total()).isGreaterThanOrEqualTo(0);
        assertThat(o.flags()).isEmpty();
    }

    @Test
    void aUserFolderWithoutItsFilesFailsAndSaysWhy() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        Crm114Check c = check(dir, "default_user: empty\n", PasswdHomes.system());
        Outcome o = ask(c, corpus.ham().get(0));
        assertThat(o.total()).isZero();
        assertThat(o.temporary()).isTrue();
        assertThat(o.scores().getFirst().detail()).startsWith("skipped: mailreaver.crm: no X-CRM114-Status line in its answer (exited with 0: ")
                .contains("unable to read-open");
        Crm114Check tempfail = check(dir, "default_user: empty\non_failure: tempfail\n", PasswdHomes.system());
        assertThat(ask(tempfail, corpus.ham().get(0)).finalWord().action()).isEqualTo(Action.DEFER);

        assertThatThrownBy(() -> c.train(corpus.spam().get(0), "", Lesson.SPAM, false)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("CRM114: mailfilter.crm did not take " + corpus.spam().get(0).getFileName()
                        + ": no X-CRM114-Action in its answer (exited with 0: ")
                .hasMessageContaining("mailfilter.cf");
    }

    @Test
    void withoutDefaultUserTheRecipientsHomeHoldsTheFolder() throws Exception {
        Path passwd = Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\nrcpt:x:1000:1000:R:" + shared + ":/bin/sh\n");
        Crm114Check c = check(dir, "{}\n", new PasswdHomes(passwd));
        Files.deleteIfExists(shared.resolve(".crm114"));
        Files.createSymbolicLink(shared.resolve(".crm114"), trainedHome);
        Transaction t = tx(new TestMails(dir).raw(campaignCopy(corpus.spam().get(3))));
        assertThat(c.evaluate(t, new Evaluation(-50)).total()).isEqualTo(-50);

        Transaction stranger = tx(new TestMails(dir).raw(Files.readAllBytes(corpus.ham().get(0))), "203.0.113.5",
                "a@example.net", "nobody@example.org");
        Outcome o = c.evaluate(stranger, new Evaluation(-50));
        assertThat(o.total()).isZero();
        assertThat(o.scores().getFirst().detail()).isEqualTo("skipped: no user for mailreaver.crm (no default_user, cmd_user or recipient)");
        assertThat(new PasswdHomes(passwd).crm114Dir("root")).contains("/root/.crm114/");
    }

    @Test
    void theUserGetsTheTrailingSlashCrm114Needs() throws Exception {
        Crm114Check c = check("default_user: crm\n");
        assertThat(c.trainingUser("")).isEqualTo(trainedHome + "/");
        assertThat(c.trainingUser("/var/lib/crm114/bob")).isEqualTo("/var/lib/crm114/bob/");
        assertThat(c.trainingUser("/var/lib/crm114/bob/")).isEqualTo("/var/lib/crm114/bob/");
    }
}
