package org.decency.checks.spamassassin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.decency.checks.support.TestMails;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;
import org.decency.core.Transaction;
import org.decency.pipeline.ModuleOptions;
import org.decency.store.InMemoryStore;
import org.decency.testkit.Spamd;

/** Mails, configs and a real spamd for the SpamAssassin tests. */
final class SpamAssassinTesting {
    private SpamAssassinTesting() {}

    /** Our own rule, so a mail scores high without network tests: the marker word gives 7.5 points. */
    static final String MARKER = "decency-marker";
    static final String RULES = "body DECENCY_TEST /" + MARKER + "/\nscore DECENCY_TEST 7.5\nbayes_auto_learn 0\n";

    /** A plain mail SpamAssassin (local tests) scores 0.0: NO_RECEIVED and NO_RELAYS only. */
    static final String HAM = """
            From: Alice <alice@example.net>
            To: Bob <bob@example.org>
            Subject: lunch on Friday
            Date: Mon, 23 Nov 2026 12:00:00 +0000
            Message-ID: <20261123120000.4711@mail.example.net>

            Hi Bob,

            shall we meet at noon on Friday, at the usual place?

            Alice
            """;

    static String withBody(String extra) {
        return HAM + extra + "\n";
    }

    static final String GTUBE = withBody(Spamd.GTUBE);

    /** Starts spamd (local tests, our rules) in {@code dir}, also on the unix socket {@code dir/spamd.sock}. */
    static Spamd spamd(Path dir, String extraRules, String... extraArgs) {
        String[] args = new String[extraArgs.length + 1];
        args[0] = "--listen=" + socket(dir);
        System.arraycopy(extraArgs, 0, args, 1, extraArgs.length);
        return Spamd.start(dir, RULES + extraRules, args);
    }

    static Path socket(Path spamdDir) {
        return spamdDir.resolve("spamd.sock");
    }

    static CheckEnvironment env(Path dir) {
        return new CheckEnvironment(new InMemoryStore(Clock.systemUTC()), Clock.systemUTC(), dir, "detective", List.of(), List.of());
    }

    /** A module's settings from YAML text, in a file of its own (so errors name file and line). */
    static ConfigNode yaml(Path dir, String text) {
        try {
            Path f = Files.writeString(Files.createTempFile(dir, "spamassassin-", ".yml"), text);
            return ConfigLoader.loadFile(f, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The check as the pipeline builds it: the common options first, then the factory. */
    static SpamAssassinCheck check(Path dir, String yaml) {
        ConfigNode n = yaml(dir, yaml);
        ModuleOptions.read("SpamAssassin", n);
        return (SpamAssassinCheck) new SpamAssassinFactory().create("SpamAssassin", n, env(dir));
    }

    static Transaction tx(Path dir, String mail) {
        return tx(dir, mail, "bob@example.org");
    }

    /** A MESSAGE transaction for {@code mail} (LF become CRLF), spooled in a folder of its own (tests run in parallel threads). */
    static Transaction tx(Path dir, String mail, String recipient) {
        try {
            TestMails mails = new TestMails(Files.createTempDirectory(dir, "mail-"));
            return TestMails.tx(mails.raw(mail), "203.0.113.5", "alice@example.net", recipient);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
