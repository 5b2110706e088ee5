package org.decency.checks.honeycollector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.decency.checks.support.TestMails.tx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.decency.checks.support.DryRun;
import org.decency.checks.support.TestMails;
import org.decency.config.ConfigException;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.Action;
import org.decency.core.CheckEnvironment;
import org.decency.core.Evaluation;
import org.decency.core.ManualClock;
import org.decency.core.Outcome;
import org.decency.core.Transaction;
import org.decency.mail.SpooledMessage;
import org.decency.pipeline.ModuleOptions;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HoneyCollector: what it collects, where, and when it drops. */
class HoneyCollectorCheckTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2025-03-01T12:00:00Z"));

    HoneyCollectorCheck check(String yaml) throws IOException {
        Path f = Files.writeString(dir.resolve("honey-collector.yml"), yaml);
        ConfigNode n = ConfigLoader.loadFile(f, "");
        ModuleOptions.read("HoneyCollector", n);
        CheckEnvironment env = new CheckEnvironment(new InMemoryStore(clock), clock, dir, "detective", List.of(), List.of());
        return (HoneyCollectorCheck) new HoneyCollectorFactory().create("HoneyCollector", n, env);
    }

    SpooledMessage mail() {
        return new TestMails(dir).mail().text("cheap pills\n").message();
    }

    static Evaluation honey() {
        Evaluation run = new Evaluation(-50);
        run.flag("honey");
        return run;
    }

    List<Path> files(String under) throws IOException {
        Path root = dir.resolve(under);
        if (!Files.exists(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void aMailFlaggedHoneyIsCollectedFlaggedAndDropped() throws IOException {
        HoneyCollectorCheck check = check("collect_dir: honey/%recipient_domain%/\n");
        SpooledMessage m = mail();

        Outcome o = check.evaluate(tx(m), honey());

        assertThat(o.finalWord().action()).isEqualTo(Action.DISCARD);
        assertThat(o.flags()).containsExactly("honey_collected");
        List<Path> files = files("honey");
        assertThat(files).hasSize(1);
        assertThat(files.getFirst().getParent()).isEqualTo(dir.resolve("honey/example.org").toAbsolutePath());
        assertThat(files.getFirst().getFileName().toString()).startsWith("mail-");
        assertThat(Files.readAllBytes(files.getFirst())).isEqualTo(Files.readAllBytes(m.file()));
        assertThat(o.scores().getFirst().detail()).isEqualTo("flagged honey; collected as " + files.getFirst());
    }

    @Test
    void aTrapRecipientConfiguredHereIsEnoughWithoutTheFlag() throws IOException {
        HoneyCollectorCheck check = check("collect_dir: honey/\naddresses: [trap@example.org]\ndomains: [honey.example]\n");

        Outcome address = check.evaluate(tx(mail(), "203.0.113.5", "s@example.net", "Trap@Example.org"), new Evaluation(-50));
        Outcome domain = check.evaluate(tx(mail(), "203.0.113.5", "s@example.net", "anyone@honey.example"), new Evaluation(-50));
        Outcome none = check.evaluate(tx(mail(), "203.0.113.5", "s@example.net", "real@example.org"), new Evaluation(-50));

        assertThat(address.finalWord().action()).isEqualTo(Action.DISCARD);
        assertThat(address.scores().getFirst().detail()).startsWith("1 trap recipient; collected as ");
        assertThat(domain.finalWord().action()).isEqualTo(Action.DISCARD);
        assertThat(none).isEqualTo(Outcome.nothing());
        assertThat(files("honey")).hasSize(2);
    }

    @Test
    void aMailAlsoForRealRecipientsIsCollectedButGoesOn() throws IOException {
        HoneyCollectorCheck check = check("collect_dir: honey/\naddresses: trap@example.org\n");

        Outcome o = check.evaluate(tx(mail(), "203.0.113.5", "s@example.net", "trap@example.org", "real@example.org", "boss@example.org"), honey());

        assertThat(o.finalWord()).isNull();
        assertThat(o.flags()).containsExactly("honey_collected");
        assertThat(o.scores().getFirst().detail()).endsWith("; not dropped: also for 2 other recipients");
        assertThat(files("honey")).hasSize(1);
    }

    @Test
    void aCollectedMailIsNotCollectedTwiceAndOrdinaryMailIsLeftAlone() throws IOException {
        HoneyCollectorCheck check = check("collect_dir: honey/\n");
        Evaluation done = honey();
        done.flag("honey_collected");

        assertThat(check.evaluate(tx(mail()), done)).isEqualTo(Outcome.nothing());
        assertThat(check.evaluate(tx(mail()), new Evaluation(-50))).isEqualTo(Outcome.nothing());
        assertThat(files("honey")).isEmpty();
    }

    @Test
    void trainPutsACopyUnderSpamAndDropZeroLetsTheMailGoOn() throws IOException {
        HoneyCollectorCheck check = check("collect_dir: honey/%ymd%/\ntrain: 1\ndrop: 0\n");

        Outcome o = check.evaluate(tx(mail()), honey());

        assertThat(o.finalWord()).isNull();
        List<Path> files = files("honey");
        assertThat(files).hasSize(2);
        assertThat(files).anySatisfy(f -> assertThat(f.getParent().getFileName().toString()).isEqualTo("spam"));
    }

    @Test
    void aDryRunWritesNothing() throws IOException {
        HoneyCollectorCheck check = check("collect_dir: honey/\n");
        SpooledMessage m = mail();
        Transaction t = tx(m);
        Transaction dry = new Transaction(t.id(), t.stage(), t.connection(), t.envelope(), Map.of(DryRun.ATTRIBUTE, "1"), m);

        Outcome o = check.evaluate(dry, honey());

        assertThat(o.scores().getFirst().detail()).isEqualTo("flagged honey; would collect to " + dir.resolve("honey").toAbsolutePath());
        assertThat(o.finalWord().action()).isEqualTo(Action.DISCARD);
        assertThat(files("honey")).isEmpty();
    }

    @Test
    void theSeedsFileLoadsAndErrorsNameFileAndLine() throws IOException {
        check("---\n\ndisable: 0\n\ntrain: 0\n\narchive_dir: /var/spool/decency/honey/\n");

        assertThatThrownBy(() -> check("train: 1\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("honey-collector.yml:1: collect_dir: is required");
        assertThatThrownBy(() -> check("collect_dir: h/\naddresses: [not-an-address]\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("honey-collector.yml:2: addresses[0]: expected a mail address like trap@example.org");
        assertThatThrownBy(() -> check("collect_dir: h/%today%/\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("honey-collector.yml:1: collect_dir: unknown variable %today%");
    }
}
