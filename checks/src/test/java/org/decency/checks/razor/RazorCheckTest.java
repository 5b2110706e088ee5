package org.decency.checks.razor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.decency.checks.support.TestMails.tx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.decency.checks.engine.Trainable;
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
 * Razor against a recorded stand-in for razor-check ({@code razor/razor-check-standin.sh}):
 * razor-check asks the Razor servers on the internet, which the tests cannot reach. The
 * stand-in answers with razor-check's exit statuses: 0 catalogued (spam), 1 not, 2 its
 * error when the servers cannot be reached.
 */
class RazorCheckTest {
    @TempDir
    Path dir;
    MailCorpus corpus;
    Path standIn;
    Path catalogue;
    final ManualClock clock = new ManualClock(Instant.parse("2025-03-01T12:00:00Z"));

    @BeforeEach
    void setUp() throws Exception {
        corpus = MailCorpus.extract(dir.resolve("corpus"));
        standIn = dir.resolve("razor-check-standin.sh");
        try (var in = RazorCheckTest.class.getResourceAsStream("/razor/razor-check-standin.sh")) {
            Files.copy(in, standIn);
        }
        catalogue = dir.resolve("catalogue");
        StringBuilder sums = new StringBuilder();
        for (Path spam : corpus.spam().subList(0, 5)) sums.append(bodySum(spam)).append("  -\n");
        Files.writeString(catalogue, sums);
    }

    static String bodySum(Path mail) throws Exception {
        String s = Files.readString(mail, StandardCharsets.ISO_8859_1).replace("\r", "");
        int blank = s.indexOf("\n\n");
        String body = blank < 0 ? "" : s.substring(blank + 2);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.ISO_8859_1)));
    }

    RazorCheck check(String yaml) throws IOException {
        Path f = Files.writeString(dir.resolve("razor.yml"), yaml);
        ConfigNode n = ConfigLoader.loadFile(f, "");
        ModuleOptions.read("Razor", n);
        CheckEnvironment env = new CheckEnvironment(new InMemoryStore(clock), clock, dir, "detective", List.of(), List.of());
        return (RazorCheck) new RazorFactory().create("Razor", n, env);
    }

    String standInCommand(String catalogueFile) {
        return "cmd_check: /bin/sh " + standIn + " " + catalogueFile + " %file%\n";
    }

    Outcome ask(RazorCheck c, Path mail) throws Exception {
        return c.evaluate(tx(new TestMails(dir).raw(Files.readAllBytes(mail))), new Evaluation(-50));
    }

    @Test
    void aCataloguedMailIsSpamAnOtherOneHam() throws Exception {
        RazorCheck c = check(standInCommand(catalogue.toString()) + "weight_spam: -100\n");
        Outcome spam = ask(c, corpus.spam().get(2));
        assertThat(spam.total()).isEqualTo(-100);
        assertThat(spam.flags()).containsExactly("spam");
        assertThat(spam.scores().getFirst().detail()).isEqualTo("sh: catalogued as spam (exit 0)");
        Outcome ham = ask(c, corpus.ham().get(2));
        assertThat(ham.total()).isEqualTo(10);
        assertThat(ham.flags()).isEmpty();
        assertThat(ham.scores().getFirst().detail()).isEqualTo("sh: not catalogued (exit 1)");
        assertThat(ask(c, corpus.spam().get(10)).total()).as("spam Razor does not know").isEqualTo(10);
    }

    @Test
    void theMailCanAlsoGoOnStandardInput() throws Exception {
        RazorCheck c = check("cmd_check: /bin/sh " + standIn + " " + catalogue + "\n");
        assertThat(ask(c, corpus.spam().get(0)).total()).isEqualTo(-50);
    }

    @Test
    void serversOutOfReachAreAFailureNotHam() throws Exception {
        RazorCheck skip = check(standInCommand(dir.resolve("no-catalogue").toString()));
        Outcome o = ask(skip, corpus.spam().get(0));
        assertThat(o.total()).isZero();
        assertThat(o.temporary()).isTrue();
        assertThat(o.scores().getFirst().detail())
                .isEqualTo("skipped: sh: exited with 2: razor-check error: nextserver: Bootstrap discovery failed. Giving up.");
        RazorCheck tempfail = check(standInCommand(dir.resolve("no-catalogue").toString()) + "on_failure: tempfail\n");
        assertThat(ask(tempfail, corpus.spam().get(0)).finalWord().action()).isEqualTo(Action.DEFER);
    }

    @Test
    void razorDoesNotLearn() throws IOException {
        assertThat(check(standInCommand(catalogue.toString()))).isNotInstanceOf(Trainable.class);
        assertThatThrownBy(() -> check(standInCommand(catalogue.toString()) + "cmd_learn_spam: /usr/bin/razor-report %file%\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cmd_learn_spam: Razor does not learn");
        assertThatThrownBy(() -> check(standInCommand(catalogue.toString()) + "weight_translate: {0: 1}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("razor-check gives no score to translate");
    }

    @Test
    void theDefaultCommandIsTheSeeds() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/razor-check")), "razor is not installed");
        assertThat(check("{}\n").settings().check().template()).isEqualTo("/usr/bin/razor-check %file%");
    }
}
