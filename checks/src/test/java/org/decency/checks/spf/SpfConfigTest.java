package org.decency.checks.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.decency.config.ConfigException;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;
import org.decency.core.ManualClock;
import org.decency.pipeline.ModuleOptions;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPF settings: the seeds' keys and code defaults, versions, and the evaluation's deadline. */
class SpfConfigTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.EPOCH);
    final CheckEnvironment env = new CheckEnvironment(new InMemoryStore(clock), clock, dir, "doorman", List.of(), List.of());

    private ConfigNode load(String yaml) throws Exception {
        return ConfigLoader.loadFile(Files.writeString(dir.resolve("spf.yml"), yaml), "");
    }

    private SpfConfig read(String yaml) throws Exception {
        ConfigNode n = load(yaml);
        ModuleOptions.read("SPF", n); // as the pipeline does first
        SpfConfig c = SpfConfig.from(n, env);
        n.finish();
        return c;
    }

    private static SpfVerdict verdict(SpfResult r) {
        return SpfVerdict.of(r, "");
    }

    @Test
    void theDefaultsAreTheSeedsCodeDefaults() throws Exception {
        SpfConfig c = read("");

        assertThat(c.weight(verdict(SpfResult.PASS))).isEqualTo(10);
        assertThat(c.weight(verdict(SpfResult.NONE))).isZero();
        assertThat(c.weight(verdict(SpfResult.NEUTRAL))).isEqualTo(-20);
        assertThat(c.weight(new SpfVerdict(SpfResult.NEUTRAL, "", false, "", true))).isEqualTo(-20);
        assertThat(c.weight(verdict(SpfResult.SOFTFAIL))).isEqualTo(-20);
        assertThat(c.weight(verdict(SpfResult.FAIL))).isEqualTo(-50);
        assertThat(c.weight(verdict(SpfResult.TEMPERROR))).isZero();
        assertThat(c.weight(verdict(SpfResult.PERMERROR))).isEqualTo(-20);
        assertThat(c.rejectOnFail()).isFalse();
        assertThat(c.checkHelo()).isFalse();
        assertThat(c.budget()).isEqualTo(Duration.ofSeconds(14));
        assertThat(env.warnings()).isEmpty();
    }

    @Test
    void theSeedsShippedFileLoadsAndWarnsThatSenderIdIsNotEvaluated() throws Exception {
        SpfConfig c = read(Files.readString(Path.of("..", "config", "examples", "seeds", "doorman", "spf.yml")));

        assertThat(c.weight(verdict(SpfResult.NEUTRAL))).isEqualTo(-10);
        assertThat(c.weight(new SpfVerdict(SpfResult.NEUTRAL, "", false, "", true))).isEqualTo(-10);
        assertThat(c.weight(verdict(SpfResult.PERMERROR))).isEqualTo(-10);
        assertThat(env.warnings()).singleElement().asString()
                .endsWith("spf.yml:5: versions[1]: 2 (Sender ID, spf2.0 records) is not evaluated; only v=spf1 records are");
    }

    @Test
    void eachResultHasItsKey() throws Exception {
        SpfConfig c = read("""
                weight_pass: 1
                weight_none: 2
                weight_neutral: 3
                weight_neutral_by_default: 4
                weight_softfail: 5
                weight_fail: 6
                weight_temperror: 7
                weight_permerror: 8
                reject_on_fail: 1
                check_helo: 1
                """);

        assertThat(List.of(SpfResult.PASS, SpfResult.NONE, SpfResult.NEUTRAL, SpfResult.SOFTFAIL, SpfResult.FAIL,
                SpfResult.TEMPERROR, SpfResult.PERMERROR).stream().map(r -> c.weight(verdict(r))).toList())
                .containsExactly(1.0, 2.0, 3.0, 5.0, 6.0, 7.0, 8.0);
        assertThat(c.weight(new SpfVerdict(SpfResult.NEUTRAL, "", false, "", true))).isEqualTo(4);
        assertThat(c.rejectOnFail()).isTrue();
        assertThat(c.checkHelo()).isTrue();
    }

    @Test
    void versionsOtherThanOneAndTwoOrWithoutOneAreErrors() {
        assertThatThrownBy(() -> read("versions: [1, 3]\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("spf.yml:1").hasMessageContaining("expected 1 (v=spf1) or 2 (spf2.0), got 3");
        assertThatThrownBy(() -> read("versions: [2]\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("must include 1");
    }

    @Test
    void aWeightForTheCatchAllErrorLoadsWithAWarning() throws Exception {
        read("weight_error: -5\n");

        assertThat(env.warnings()).singleElement().asString().contains("weight_error").contains("never happens here");
    }

    @Test
    void theDeadlineIsALittleUnderTheModulesTimeout() throws Exception {
        assertThat(read("timeout: 30s\n").budget()).isEqualTo(Duration.ofSeconds(29));
        assertThat(read("timeout: 2s\n").budget()).isEqualTo(Duration.ofMillis(1600));
    }

    @Test
    void anUnknownKeyIsAnError() {
        assertThatThrownBy(() -> read("weight_pas: 10\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("spf.yml:1: weight_pas: unknown key");
    }
}
