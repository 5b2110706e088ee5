package org.decency.checks.spamassassin;

import org.decency.checks.engine.NothingLearnedException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.decency.checks.spamassassin.SpamAssassinTesting.HAM;
import static org.decency.checks.spamassassin.SpamAssassinTesting.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.decency.checks.engine.Trainable.Lesson;
import org.decency.testkit.Spamd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training spamd's Bayes with TELL, against a real spamd started with {@code --allow-tell}
 * and Bayes on; what it learnt is read back with {@code sa-learn --dump magic} on the same
 * database.
 */
class SpamAssassinTrainTest {
    @TempDir
    static Path shared;
    static Path spamdDir;
    static Spamd spamd;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spamdDir = shared.resolve("spamd");
        spamd = SpamAssassinTesting.spamd(spamdDir, "use_bayes 1\nbayes_path " + spamdDir.resolve("home/bayes") + "\n", "--allow-tell");
    }

    @AfterAll
    static void stop() {
        if (spamd != null) spamd.close();
    }

    SpamAssassinCheck check(String more) {
        return SpamAssassinTesting.check(dir, "host: 127.0.0.1\nport: " + spamd.port() + "\n" + more);
    }

    Path mail(String id, String body) throws IOException {
        String text = HAM.replace("20261123120000.4711@", id + "@").replace("shall we meet", body).replace("\n", "\r\n");
        return Files.writeString(dir.resolve(id + ".eml"), text);
    }

    /** {@code nspam} or {@code nham} of the Bayes database, as sa-learn (run as spamd's user) reads it. */
    static long count(String what) throws Exception {
        if (!Files.exists(spamdDir.resolve("home/bayes_toks"))) return 0; // nothing learnt yet: no database to dump
        Process p = new ProcessBuilder("runuser", "-u", "nobody", "--", "sa-learn", "--siteconfigpath=" + spamdDir.resolve("site"),
                "--dump", "magic").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Matcher m = Pattern.compile("(?m)^\\S+\\s+\\S+\\s+(\\d+)\\s+\\S+\\s+non-token data: " + what + "$").matcher(out);
        assertThat(m.find()).as("sa-learn --dump magic:\n%s", out).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void learntSpamIsKnownAndForgettingTakesItBack() throws Exception {
        SpamAssassinCheck check = check("");
        Path spam = mail("learn-spam", "buy cheap watches and pills, limited offer, click now");
        long before = count("nspam");

        check.train(spam, "", Lesson.SPAM, false);

        assertThat(count("nspam")).isEqualTo(before + 1);
        assertThatThrownBy(() -> check.train(spam, "", Lesson.SPAM, false)).isInstanceOf(NothingLearnedException.class)
                .hasMessageContaining("learnt nothing from " + spam + ": it was learnt as spam before");

        check.train(spam, "", Lesson.SPAM, true);

        assertThat(count("nspam")).isEqualTo(before);
        assertThatThrownBy(() -> check.train(spam, "", Lesson.SPAM, true)).isInstanceOf(NothingLearnedException.class)
                .hasMessageContaining("forgot nothing");
    }

    @Test
    void hamIsLearntAsHamAndARelearnMovesIt() throws Exception {
        SpamAssassinCheck check = check("");
        Path ham = mail("learn-ham", "shall we meet");
        long spamBefore = count("nspam");
        long hamBefore = count("nham");

        check.train(ham, "", Lesson.HAM, false);
        assertThat(count("nham")).isEqualTo(hamBefore + 1);

        check.train(ham, "", Lesson.SPAM, false); // a mistake corrected: spamd moves it from ham to spam
        assertThat(count("nham")).isEqualTo(hamBefore);
        assertThat(count("nspam")).isEqualTo(spamBefore + 1);
    }

    @Test
    void theLessonGoesToTheGivenUserElseTheDefaultUser() throws Exception {
        check("").train(mail("user-given", "first lesson"), "frank", Lesson.HAM, false);
        check("default_user: grace\n").train(mail("user-default", "second lesson"), "", Lesson.HAM, false);

        String log = Files.readString(spamdDir.resolve("spamd.log"));
        assertThat(log).containsPattern("Tell: Setting local +for frank:").containsPattern("Tell: Setting local +for grace:");
    }

    @Test
    void mailsLargerThanMaxSizeAreNotTaught() throws Exception {
        Path big = mail("too-big", "x".repeat(2048));

        assertThatThrownBy(() -> check("max_size: 1k\n").train(big, "", Lesson.SPAM, false))
                .isInstanceOf(IOException.class).isNotInstanceOf(NothingLearnedException.class)
                .hasMessageMatching(".*too-big.eml has \\d+ bytes, more than max_size 1k: not taught");
    }
}
