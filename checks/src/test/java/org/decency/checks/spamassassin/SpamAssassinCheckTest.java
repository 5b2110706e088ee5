package org.decency.checks.spamassassin;

import org.decency.checks.engine.NothingLearnedException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.decency.checks.spamassassin.SpamAssassinTesting.GTUBE;
import static org.decency.checks.spamassassin.SpamAssassinTesting.HAM;
import static org.decency.checks.spamassassin.SpamAssassinTesting.MARKER;
import static org.decency.checks.spamassassin.SpamAssassinTesting.check;
import static org.decency.checks.spamassassin.SpamAssassinTesting.socket;
import static org.decency.checks.spamassassin.SpamAssassinTesting.tx;
import static org.decency.checks.spamassassin.SpamAssassinTesting.withBody;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.decency.checks.engine.Trainable;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.testkit.Spamd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SpamAssassin against a real spamd (local tests, our marker rule) on loopback TCP and a unix socket. */
class SpamAssassinCheckTest {
    @TempDir
    static Path shared;
    static Spamd spamd;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spamd = SpamAssassinTesting.spamd(shared.resolve("spamd"), "");
    }

    @AfterAll
    static void stop() {
        if (spamd != null) spamd.close();
    }

    String tcp(String more) {
        return "host: 127.0.0.1\nport: " + spamd.port() + "\n" + more;
    }

    static Score only(Outcome o) {
        assertThat(o.scores()).hasSize(1);
        return o.scores().getFirst();
    }

    @Test
    void gtubeIsSpamWithWeightSpamAndTheDetailNamesTheRules() {
        SpamAssassinCheck check = check(dir, tcp("weight_spam: -80\n"));

        Outcome o = check.evaluate(tx(dir, GTUBE), new Evaluation(-100));

        Score s = only(o);
        assertThat(s.code()).isEqualTo("SpamAssassin");
        assertThat(s.delta()).isEqualTo(-80);
        assertThat(s.detail()).matches("Status: Yes, score=10\\d\\d\\.\\d required=5\\.0 tests=.*GTUBE.*");
        assertThat(o.flags()).containsExactly("spam");
        assertThat(o.finalWord()).isNull();
        assertThat(o.temporary()).isFalse();
    }

    @Test
    void aPlainMailIsHamWithWeightInnocent() {
        Outcome o = check(dir, tcp("")).evaluate(tx(dir, HAM), new Evaluation(-100));

        assertThat(only(o).delta()).isEqualTo(10);
        assertThat(only(o).detail()).isEqualTo("Status: No, score=0.0 required=5.0 tests=NO_RECEIVED,NO_RELAYS");
        assertThat(o.flags()).isEmpty();
    }

    @Test
    void weightTranslateTurnsSpamAssassinsScoreWithTheSignFlipped() {
        SpamAssassinCheck check = check(dir, tcp("weight_translate: {0: 10, 2: 0, 5: -20, 10: -60, 20: -100}\n"));

        assertThat(only(check.evaluate(tx(dir, HAM), new Evaluation(-100))).delta()).isEqualTo(10);                 // 0.0
        Outcome marker = check.evaluate(tx(dir, withBody("see the " + MARKER)), new Evaluation(-100));        // 7.5
        assertThat(only(marker).delta()).isEqualTo(-60);
        assertThat(only(marker).detail()).startsWith("Status: Yes, score=7.5 required=5.0 tests=").contains("DECENCY_TEST");
        assertThat(marker.flags()).containsExactly("spam");
        assertThat(only(check.evaluate(tx(dir, GTUBE), new Evaluation(-100))).delta()).isEqualTo(-100);             // 1000
    }

    @Test
    void reportNamesTheRulesWithTheirPoints() {
        Outcome o = check(dir, tcp("report: 1\n")).evaluate(tx(dir, withBody("see the " + MARKER)), new Evaluation(-100));

        assertThat(only(o).delta()).isEqualTo(-50);
        assertThat(only(o).detail()).startsWith("Status: Yes, score=7.5 required=5.0 tests=")
                .contains("DECENCY_TEST=7.5").contains("NO_RELAYS=-0.0");
    }

    @Test
    void theUnixSocketServesAsTcpDoes() {
        SpamAssassinCheck check = check(dir, "socket: " + socket(shared.resolve("spamd")) + "\n");

        assertThat(only(check.evaluate(tx(dir, GTUBE), new Evaluation(-100))).delta()).isEqualTo(-50);
        assertThat(only(check.evaluate(tx(dir, HAM), new Evaluation(-100))).delta()).isEqualTo(10);
    }

    @Test
    void spamdsUserIsTheDefaultUserElseTheRecipient() throws Exception {
        String mail = HAM.replace("4711@", "user-test@");
        check(dir, tcp("default_user: carol\n")).evaluate(tx(dir, mail), new Evaluation(-100));
        check(dir, tcp("")).evaluate(tx(dir, mail, "dave@example.org"), new Evaluation(-100));
        check(dir, tcp("cmd_user: \"sed 's/@.*//'\"\n")).evaluate(tx(dir, mail, "erin@example.org"), new Evaluation(-100));

        String log = Files.readString(shared.resolve("spamd/spamd.log"));
        assertThat(log).contains("checking message <20261123120000.user-test@mail.example.net> for carol:")
                .contains("checking message <20261123120000.user-test@mail.example.net> for dave@example.org:")
                .contains("checking message <20261123120000.user-test@mail.example.net> for erin:");
    }

    @Test
    void mailsLargerThanMaxSizeAreNotChecked() {
        String big = withBody(GTUBE + "x".repeat(600 * 1024));

        Outcome byDefault = check(dir, tcp("")).evaluate(tx(dir, big), new Evaluation(-100));
        Outcome bigger = check(dir, tcp("max_size: 1m\n")).evaluate(tx(dir, big), new Evaluation(-100));

        assertThat(only(byDefault).delta()).isZero();
        assertThat(only(byDefault).detail()).matches("skipped: the mail has \\d+ bytes, more than max_size 500k");
        assertThat(only(bigger).delta()).isEqualTo(-50);
    }

    @Test
    void manyMailsAtOnceEachGetTheirOwnVerdict() throws Exception {
        SpamAssassinCheck check = check(dir, tcp(""));
        List<String> mails = new ArrayList<>();
        for (int i = 0; i < 24; i++) mails.add(i % 2 == 0 ? GTUBE : HAM);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<Outcome>> outcomes = new ArrayList<>();
            for (String m : mails) outcomes.add(pool.submit(() -> check.evaluate(tx(dir, m), new Evaluation(-100))));
            for (int i = 0; i < mails.size(); i++) {
                assertThat(only(outcomes.get(i).get()).delta()).as("mail %d", i).isEqualTo(i % 2 == 0 ? -50 : 10);
            }
        }
    }

    @Test
    void trainingNeedsSpamdsAllowTell() throws Exception {
        Path mail = Files.writeString(dir.resolve("spam.eml"), GTUBE);

        assertThatThrownBy(() -> check(dir, tcp("")).train(mail, "", Trainable.Lesson.SPAM, false))
                .isInstanceOf(java.io.IOException.class).isNotInstanceOf(NothingLearnedException.class)
                .hasMessageContaining("spamd 127.0.0.1:" + spamd.port() + ": spamd answered 69")
                .hasMessageContaining("--allow-tell");
    }
}
