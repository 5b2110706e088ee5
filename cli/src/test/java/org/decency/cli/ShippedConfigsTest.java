package org.decency.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.decency.pipeline.Module;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;

/** The configs shipped in config/ load as they are: the embedded default and the seeds' example. */
class ShippedConfigsTest {
    static final Path CONFIG = Path.of("..", "config").toAbsolutePath().normalize();

    private static DoormanRunner.Assembly load(Path file) {
        Clock clock = Clock.systemUTC();
        return DoormanRunner.assemble(file, clock, sc -> new InMemoryStore(clock), null);
    }

    private static List<String> modules(DoormanRunner.Assembly a) {
        return a.pipeline().pipeline().modules().stream().map(Module::name).toList();
    }

    @Test
    void theEmbeddedDefaultLoadsWithEveryLocalCheckAndNoWarning() {
        DoormanRunner.Assembly a = load(CONFIG.resolve("doorman.yml"));
        assertThat(modules(a)).containsExactly("CWL", "CBL", "Honeypot", "Basic", "AWL", "Greylist", "Throttle");
        assertThat(a.warnings()).isEmpty();
        assertThat(a.settings().port()).isEqualTo(15000);
        assertThat(a.settings().host()).isEqualTo("127.0.0.1");
    }

    @Test
    void theEmbeddedDetectiveDefaultLoadsWithItsLocalCheckAndNoWarning() {
        Clock clock = Clock.systemUTC();
        DetectiveRunner.Assembly a = DetectiveRunner.assemble(CONFIG.resolve("detective.yml"), clock, sc -> new InMemoryStore(clock), null);
        a.store().close();
        assertThat(a.pipeline().pipeline().modules().stream().map(Module::name)).containsExactly("MimeAttribs");
        assertThat(a.warnings()).isEmpty();
        assertThat(a.settings().server().port()).isEqualTo(16000);
        assertThat(a.settings().server().host()).isEqualTo("127.0.0.1");
        assertThat(a.settings().reinject()).singleElement().satisfies(t -> assertThat(t.address()).isEqualTo("127.0.0.1:10250"));
        assertThat(a.settings().spoolDir()).isEqualTo(CONFIG.resolve("../var/spool"));
        assertThat(a.settings().spam().handle()).isEqualTo(org.decency.detective.SpamPolicy.Handle.TAG);
        assertThat(a.settings().virus().handle()).isEqualTo(org.decency.detective.VirusPolicy.Handle.QUARANTINE);
    }

    @Test
    void theSeedsExampleLoadsAndNamesWhatHasNoEffectYet() {
        DoormanRunner.Assembly a = load(CONFIG.resolve("examples/seeds/doorman.yml"));
        assertThat(modules(a)).containsExactly("Basic", "CWL", "DNSBL", "CBL", "SPF", "Association", "GeoWeight", "Honeypot", "Greylist", "Throttle");
        assertThat(a.pipeline().pipeline().settings().threshold()).isEqualTo(-100);
        assertThat(a.pipeline().pipeline().settings().noSessionIdentifier()).isTrue();
        assertThat(a.pipeline().pipeline().settings().recipientDelimiter()).isEqualTo("+");
        assertThat(a.pipeline().pipeline().settings().forceCheckLocal()).as("pass_localhost: 0").isTrue();
        assertThat(a.settings().instances()).isEqualTo(3);
        assertThat(a.pipeline().stats().periods()).containsExactly("hour", "day", "week", "month", "year");
        assertThat(a.pipeline().stats().retention().periods("hour")).isEqualTo(336);
        assertThat(String.join("\n", a.warnings())).doesNotContain("module GeoWeight is not available yet");
        assertThat(String.join("\n", a.warnings()))
                .doesNotContain("forward_scoring")
                .contains("doorman.yml:54: reporting is not available yet")
                .contains("doorman.yml:32: stats.maintenance.stream: there is no stream table (LiveStats comes in a later release); ignored")
                .doesNotContain("stats.maintenance is not available yet")
                .contains("doorman.yml:70: module SenderPermit is not available yet (it comes with a later release)")
                .doesNotContain("module DNSBL")
                .doesNotContain("module SPF")
                .doesNotContain("Association")
                .doesNotContain("weight_unknown_helo_hostname")
                .contains("spf.yml:5: versions[1]: 2 (Sender ID, spf2.0 records) is not evaluated; only v=spf1 records are")
                .contains("geo-weight.yml:2: no database: set, so GeoWeight knows no country and scores and counts nothing;"
                        + " set database: to a country .mmdb file")
                .contains("throttle.yml:30: exception_databases: per-value limits from database tables are not read");
    }

    private static DefenderRunner.Assembly loadDefender(Path file) {
        Clock clock = Clock.systemUTC();
        DefenderRunner.Assembly a = DefenderRunner.assemble(file, clock, sc -> new InMemoryStore(clock), null);
        a.store().close();
        return a;
    }

    @Test
    void theEmbeddedDefenderDefaultLoadsWithTheLocalChecksAndNoWarning() {
        DefenderRunner.Assembly a = loadDefender(CONFIG.resolve("defender.yml"));
        assertThat(a.doormanPipeline().modules().stream().map(Module::name))
                .containsExactly("CWL", "CBL", "Honeypot", "Basic", "AWL", "Greylist", "Throttle");
        assertThat(a.detectivePipeline().modules().stream().map(Module::name)).containsExactly("MimeAttribs");
        assertThat(a.warnings()).isEmpty();
        assertThat(a.settings().port()).isEqualTo(14000).as("distinct from the Doorman's 15000 and the Detective's 16000");
        assertThat(a.settings().host()).isEqualTo("127.0.0.1");
        assertThat(a.settings().doormanStages()).containsExactly(org.decency.core.Stage.RCPT);
        assertThat(a.settings().spoolDir()).isEqualTo(CONFIG.resolve("../var/spool").normalize());
        assertThat(a.settings().spam().handle()).isEqualTo(org.decency.detective.SpamPolicy.Handle.BOUNCE);
        assertThat(a.settings().spamReply()).isEqualTo("SPAM detected");
        assertThat(a.settings().virusReply()).isEqualTo("Virus detected");
    }

    @Test
    void theSeedsDefenderOutlineLoadsAndNamesWhatHasNoEffect() {
        DefenderRunner.Assembly a = loadDefender(CONFIG.resolve("examples/seeds/defender.yml"));
        assertThat(a.doormanPipeline().modules().stream().map(Module::name))
                .containsExactly("Basic", "CWL", "DNSBL", "CBL", "SPF", "Association", "GeoWeight", "Honeypot", "Greylist", "Throttle");
        assertThat(a.detectivePipeline().modules().stream().map(Module::name)).containsExactly("DeepDNSBL", "DKIMVerify", "Archive");
        assertThat(a.settings().port()).isEqualTo(14000);
        assertThat(a.settings().instances()).isEqualTo(4);
        assertThat(a.doormanPipeline().settings().threshold()).isEqualTo(-100);
        assertThat(a.doormanPipeline().settings().noSessionIdentifier()).isTrue();
        assertThat(a.settings().spam().subjectPrefix()).isEqualTo("SPAM:");
        assertThat(a.settings().virus().handle()).isEqualTo(org.decency.detective.VirusPolicy.Handle.QUARANTINE);
        assertThat(a.settings().spamReply()).isEqualTo("SPAM detected");
        String warnings = String.join("\n", a.warnings());
        assertThat(warnings)
                .contains("defender.yml:44: reporting is not available yet")
                .contains("notifications (notify_recipient, notify_sender) are not sent in milter mode")
                .contains("module SenderPermit is not available yet")
                .contains("stats.maintenance.stream: there is no stream table");
        assertThat(warnings.split("stats.maintenance", -1)).as("a shared section's warning comes once").hasSize(2);
    }
}
