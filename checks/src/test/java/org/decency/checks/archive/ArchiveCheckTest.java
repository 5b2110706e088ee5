package org.decency.checks.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.decency.checks.support.TestMails.tx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.decency.checks.support.DryRun;
import org.decency.checks.support.TestMails;
import org.decency.config.ConfigException;
import org.decency.config.ConfigLoader;
import org.decency.core.Action;
import org.decency.core.CheckEnvironment;
import org.decency.core.Evaluation;
import org.decency.core.ManualClock;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.mail.SpooledMessage;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archive: when a copy is written, where, under which name, and what drop and archive_spam change. */
class ArchiveCheckTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2025-03-01T12:00:00Z"));
    final List<String> warnings = new java.util.ArrayList<>();

    ArchiveCheck check(String yaml) throws IOException {
        Path f = Files.writeString(dir.resolve("archive.yml"), yaml);
        CheckEnvironment env = new CheckEnvironment(new InMemoryStore(clock), clock, dir, "detective", List.of(), List.of(),
                warnings, org.decency.dns.Dns.none());
        var node = ConfigLoader.loadFile(f, "");
        org.decency.pipeline.ModuleOptions.read("Archive", node);
        return (ArchiveCheck) new ArchiveFactory().create("Archive", node, env);
    }

    SpooledMessage mail() {
        return new TestMails(dir).mail().text("archive me\n").message();
    }

    List<Path> archived() throws IOException {
        Path root = dir.resolve("archive");
        if (!Files.exists(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static Verdict verdict(Action action, double total, Set<String> flags) {
        return new Verdict(action, "", total, -50, List.of(new Score("X", total, "")), flags, action == Action.DUNNO ? "" : "Other");
    }

    @Test
    void aGoodMailIsArchivedAfterTheDecisionAsReceived() throws IOException {
        ArchiveCheck check = check("archive_dir: archive/%recipient_domain%/%ymd%/%recipient_prefix%\n");
        SpooledMessage m = mail();
        Transaction tx = tx(m, "203.0.113.5", "s@example.net", "Alice@Example.ORG");

        Outcome o = check.evaluate(tx, new Evaluation(-50));
        assertThat(archived()).as("nothing before the decision").isEmpty();
        assertThat(o.finalWord()).isNull();
        assertThat(o.flags()).isEmpty();
        check.decided(tx, verdict(Action.DUNNO, -10, Set.of()));

        List<Path> files = archived();
        assertThat(files).hasSize(1);
        Path f = files.getFirst();
        String ymd = ZonedDateTime.ofInstant(clock.instant(), ZoneId.systemDefault()).toLocalDate().toString();
        assertThat(f.getParent()).isEqualTo(dir.resolve("archive/example.org/" + ymd).toAbsolutePath());
        assertThat(f.getFileName().toString()).matches("alice-" + clock.instant().getEpochSecond() + "-[a-z0-9]{6}\\.eml");
        assertThat(Files.readAllBytes(f)).isEqualTo(Files.readAllBytes(m.file()));
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertThat(s.toList()).as("no temporary file left").hasSize(1);
        }
    }

    @Test
    void spamAVirusAndRefusedMailsAreNotArchivedWithoutArchiveSpam() throws IOException {
        ArchiveCheck check = check("archive_dir: archive/\n");
        Transaction tx = tx(mail());

        check.decided(tx, verdict(Action.REJECT, -60, Set.of()));
        check.decided(tx, verdict(Action.DUNNO, -50, Set.of()));
        check.decided(tx, verdict(Action.DUNNO, 0, Set.of("virus=Eicar-Test-Signature")));
        check.decided(tx, verdict(Action.HOLD, 0, Set.of()));
        check.decided(tx, verdict(Action.DISCARD, 0, Set.of()));
        assertThat(archived()).isEmpty();

        check.decided(tx, verdict(Action.DUNNO, -49, Set.of()));
        assertThat(archived()).hasSize(1);
    }

    @Test
    void withArchiveSpamEveryMailIsArchivedAtOnceAndFlagged() throws IOException {
        ArchiveCheck check = check("archive_dir: archive/\narchive_spam: 1\n");
        Transaction tx = tx(mail());

        Outcome o = check.evaluate(tx, new Evaluation(-50));
        check.decided(tx, verdict(Action.REJECT, -80, Set.of()));

        assertThat(o.flags()).containsExactly("archived");
        List<Path> files = archived();
        assertThat(files).hasSize(1);
        assertThat(files.getFirst().getFileName().toString()).startsWith("mail-");
        assertThat(o.scores().getFirst().detail()).isEqualTo("archived as " + files.getFirst());
    }

    @Test
    void dropArchivesAndDiscards() throws IOException {
        ArchiveCheck check = check("archive_dir: archive/\ndrop: 1\n");

        Outcome o = check.evaluate(tx(mail()), new Evaluation(-50));

        assertThat(o.finalWord().action()).isEqualTo(Action.DISCARD);
        assertThat(o.flags()).containsExactly("archived");
        assertThat(archived()).hasSize(1);
    }

    @Test
    void dropKeepsSpamOutOfTheArchiveUnlessArchiveSpam() throws IOException {
        Evaluation spam = new Evaluation(-50);
        spam.add(Outcome.score("Doorman", -70, ""), 1);

        Outcome o = check("archive_dir: archive/\ndrop: 1\n").evaluate(tx(mail()), spam);

        assertThat(o.finalWord().action()).isEqualTo(Action.DISCARD);
        assertThat(o.flags()).isEmpty();
        assertThat(archived()).isEmpty();
    }

    @Test
    void aCopyThatCannotBeWrittenIsAnErrorNotADrop() throws IOException {
        Files.writeString(dir.resolve("archive"), "a file where the folder should be");
        ArchiveCheck check = check("archive_dir: archive/sub/\ndrop: 1\n");

        assertThatThrownBy(() -> check.evaluate(tx(mail()), new Evaluation(-50))).isInstanceOf(IOException.class);
    }

    @Test
    void aDryRunSaysWhereAndWritesNothing() throws IOException {
        ArchiveCheck check = check("archive_dir: archive/%sender_domain%/\narchive_spam: 1\ndrop: 1\n");
        SpooledMessage m = mail();
        Transaction dry = new Transaction("t1", tx(m).stage(), tx(m).connection(), tx(m).envelope(), Map.of(DryRun.ATTRIBUTE, "1"), m);

        Outcome o = check.evaluate(dry, new Evaluation(-50));
        check.decided(dry, verdict(Action.DUNNO, 0, Set.of()));

        assertThat(o.scores().getFirst().detail()).isEqualTo("would archive to " + dir.resolve("archive/example.net").toAbsolutePath());
        assertThat(o.finalWord().action()).isEqualTo(Action.DISCARD);
        assertThat(archived()).isEmpty();
    }

    @Test
    void settingsAndTheirErrors() throws IOException {
        assertThatThrownBy(() -> check("drop: 1\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("archive.yml:1: archive_dir: is required");
        assertThatThrownBy(() -> check("archive_dir: a/\nretention: forever\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("archive.yml:2: retention: expected a duration");
        assertThatThrownBy(() -> check("archive_dir: a/\narchive_spams: 1\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("archive.yml:2: archive_spams: unknown key");

        check("archive_dir: a/\nuse_index_db: 1\nenable_full_text_index: 0\nmax_size: 0\ntimeout: 30\n");
        assertThat(warnings).containsExactly(dir.resolve("archive.yml") + ":2: use_index_db: the archive has no index database yet"
                + " (the files are the archive); ignored");
    }
}
