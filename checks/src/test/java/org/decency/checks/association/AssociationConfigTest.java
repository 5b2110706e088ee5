package org.decency.checks.association;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.decency.config.ConfigException;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.pipeline.ModuleOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Association settings: the seeds' keys and defaults, narrowest range first. */
class AssociationConfigTest {
    static final Path SEEDS = Path.of("..", "config", "examples", "seeds", "doorman", "association.yml").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void theDefaultsAreTheSeeds() throws IOException {
        AssociationConfig c = AssociationConfig.from(load(""));

        assertThat(c.directHit()).isEqualTo(20);
        assertThat(c.domainHit()).isEqualTo(15);
        assertThat(c.noHit()).isEqualTo(-20);
        assertThat(c.rangesV4()).containsExactly(new RangeWeight(31, 20), new RangeWeight(30, 20), new RangeWeight(29, 10),
                new RangeWeight(28, 10), new RangeWeight(27, 10), new RangeWeight(26, 5), new RangeWeight(25, 5), new RangeWeight(24, 5));
        assertThat(c.rangesV6()).containsExactly(new RangeWeight(64, 5));
        assertThat(c.respectSpfPass()).isTrue();
        assertThat(c.confirmPtr()).isTrue();
        assertThat(c.budget()).isEqualTo(Duration.ofMillis(13_500));
    }

    @Test
    void theSeedsFileLoadsAndItsRangesAreSortedNarrowestFirst() {
        ConfigNode n = ConfigLoader.loadFile(SEEDS, "");
        ModuleOptions.read("Association", n);
        AssociationConfig c = AssociationConfig.from(n);
        n.finish();

        assertThat(c.rangesV4()).extracting(RangeWeight::prefix).containsExactly(31, 30, 29, 28, 27, 26, 25, 24);
        assertThat(c.rangesV4()).extracting(RangeWeight::weight).containsExactly(20.0, 20.0, 10.0, 10.0, 10.0, 5.0, 5.0, 5.0);
    }

    @Test
    void rangesGivenInAnyOrderAreAskedNarrowestFirst() throws IOException {
        AssociationConfig c = AssociationConfig.from(load("weight_range_hit: {16: 1, 28: 8, 24: 4}\nweight_range_hit_v6: {48: 2, 120: 9}\ntimeout: 1s\n"));

        assertThat(c.rangesV4()).containsExactly(new RangeWeight(28, 8), new RangeWeight(24, 4), new RangeWeight(16, 1));
        assertThat(c.rangesV6()).containsExactly(new RangeWeight(120, 9), new RangeWeight(48, 2));
        assertThat(c.budget()).isEqualTo(Duration.ofMillis(900));
    }

    @Test
    void aNegativeRangeWeightIsRefused() {
        assertThatThrownBy(() -> create("weight_range_hit:\n  24: -5\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":2: weight_range_hit.24: must be 0 (off) or positive: a shared network speaks for the sender, got -5.0");
    }

    @Test
    void aPrefixOutOfRangeIsRefused() {
        assertThatThrownBy(() -> create("weight_range_hit: {33: 5}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":1: weight_range_hit.33: expected a prefix length from 1 to 32 as the key, got 33");
        assertThatThrownBy(() -> create("weight_range_hit_v6: {abc: 5}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":1: weight_range_hit_v6.abc: expected a prefix length from 1 to 128 as the key, got \"abc\"");
    }

    @Test
    void unknownKeysAreRefused() {
        assertThatThrownBy(() -> create("weight_direct_hits: 20\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file() + ":1: weight_direct_hits: unknown key; expected one of: weight_direct_hit,");
    }

    private Path file() {
        return dir.resolve("association.yml");
    }

    private ConfigNode load(String yaml) throws IOException {
        return ConfigLoader.loadFile(Files.writeString(file(), yaml), "");
    }

    private void create(String yaml) throws IOException {
        ConfigNode n = load(yaml);
        AssociationConfig.from(n);
        n.finish();
    }
}
