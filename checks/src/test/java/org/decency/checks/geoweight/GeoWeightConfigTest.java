package org.decency.checks.geoweight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.decency.config.ConfigException;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;
import org.decency.core.ManualClock;
import org.decency.pipeline.ModuleOptions;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GeoWeight settings: defaults, the seeds' keys, the database file, and errors naming file, line and key. */
class GeoWeightConfigTest {
    @TempDir
    Path dir;
    CheckEnvironment env;

    @Test
    void defaultsWeighNothingAndCountNothing() throws IOException {
        GeoWeightConfig c = GeoWeightConfig.from(load(""));

        assertThat(c).isEqualTo(new GeoWeightConfig(Optional.empty(), Map.of(), 0, false, true));
        assertThat(c.weightOf("DE")).isZero();
    }

    @Test
    void theSeedsModuleFileLoadsWithItsNegativeDefault() throws IOException {
        ConfigNode n = load("""
                ---
                disable: 0
                weight_classes:
                  - countries: [AU, DE, US]
                    weight: 10
                  - countries: [DK, SE]
                    weight: 5
                weight_default: -5
                """);
        ModuleOptions.read("GeoWeight", n);
        GeoWeightConfig c = GeoWeightConfig.from(n);
        n.finish();

        assertThat(c.weights()).isEqualTo(Map.of("AU", 10.0, "DE", 10.0, "US", 10.0, "DK", 5.0, "SE", 5.0));
        assertThat(c.weightOf("US")).isEqualTo(10);
        assertThat(c.weightOf("SE")).isEqualTo(5);
        assertThat(c.weightOf("FR")).isEqualTo(-5);
        assertThat(c.stats()).isFalse();
        assertThat(c.weigh()).isTrue();
    }

    @Test
    void classWeightsMayBeNegativeOrFractionalAndCodesAnyCase() throws IOException {
        GeoWeightConfig c = GeoWeightConfig.from(load("""
                weight_classes:
                  - countries: [xx, Yy]
                    weight: -20
                  - countries: ZZ
                    weight: 2.5
                enable_stats: 1
                disable_weight: 1
                """));

        assertThat(c.weights()).isEqualTo(Map.of("XX", -20.0, "YY", -20.0, "ZZ", 2.5));
        assertThat(c.stats()).isTrue();
        assertThat(c.weigh()).isFalse();
    }

    @Test
    void theDatabaseIsRelativeToTheFileItIsWrittenIn() throws IOException {
        Files.createDirectories(dir.resolve("doorman"));
        Path file = Files.writeString(dir.resolve("doorman/geo.yml"), "database: ../geoip/country.mmdb\n");
        assertThat(GeoWeightConfig.from(ConfigLoader.loadFile(file, "")).database())
                .contains(dir.resolve("geoip/country.mmdb").toAbsolutePath().normalize());
        assertThat(GeoWeightConfig.from(load("database: /srv/country.mmdb\n")).database()).contains(Path.of("/srv/country.mmdb"));
    }

    @Test
    void aCountryListedTwiceIsRefusedAtItsSecondPlace() {
        assertThatThrownBy(() -> create("""
                weight_classes:
                  - countries: [DE, US]
                    weight: 10
                  - countries:
                      - FR
                      - de
                    weight: -10
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":6: weight_classes[1].countries[1]: country DE is already listed in weight_classes[0]");
        assertThatThrownBy(() -> create("weight_classes:\n  - {countries: [US, US], weight: 1}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":2: weight_classes[0].countries[1]: country US is already listed in weight_classes[0]");
    }

    @Test
    void badClassesAreRefusedWithFileAndLine() {
        assertThatThrownBy(() -> create("weight_classes:\n  - countries: [Germany]\n    weight: 1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":2: weight_classes[0].countries[0]: expected a two-letter ISO 3166 country code such as DE, got \"Germany\"");
        assertThatThrownBy(() -> create("weight_classes:\n  - countries: []\n    weight: 1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":2: weight_classes[0].countries: expected at least one country code, e.g. [DE, AT]");
        assertThatThrownBy(() -> create("weight_classes:\n  - countries: [DE]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":2: weight_classes[0].weight: is required");
        assertThatThrownBy(() -> create("weight_classes:\n  - countries: [DE]\n    weight: lots\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":3: weight_classes[0].weight: expected a number, got \"lots\"");
        assertThatThrownBy(() -> create("weight_classes:\n  - countries: [DE]\n    weight: 1\n    wieght: 2\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":4: weight_classes[0].wieght: unknown key; expected one of: countries, weight");
        assertThatThrownBy(() -> create("weight_classes: [DE, US]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file() + ":1: weight_classes[0]: expected a mapping");
        assertThatThrownBy(() -> create("weight_default: -x\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":1: weight_default: expected a number, got \"-x\"");
        assertThatThrownBy(() -> create("weight_defualt: 1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file() + ":1: weight_defualt: unknown key; expected one of: database, weight_classes, weight_default");
    }

    @Test
    void weightingOffAndStatisticsOffLeaveNothingToDo() {
        assertThatThrownBy(() -> create("enable_stats: 0\ndisable_weight: 1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":2: disable_weight: nothing left to do: with disable_weight: 1, set enable_stats: 1 (or disable the module)");
    }

    @Test
    void aMissingDatabaseFileIsAnErrorAtItsLine() {
        assertThatThrownBy(() -> create("weight_default: 1\ndatabase: geoip/none.mmdb\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":2: database: file not found: " + dir.resolve("geoip/none.mmdb").toAbsolutePath());
    }

    @Test
    void aDirectoryOrAFileThatIsNoMaxMindDbIsAnErrorAtItsLine() throws IOException {
        Files.createDirectories(dir.resolve("geoip"));
        assertThatThrownBy(() -> create("database: geoip\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":1: database: not a file: " + dir.resolve("geoip").toAbsolutePath());
        Files.writeString(dir.resolve("geoip/country.csv"), "8.8.8.0,8.8.8.255,US\n");
        assertThatThrownBy(() -> create("database: geoip/country.csv\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file() + ":1: database: cannot read " + dir.resolve("geoip/country.csv").toAbsolutePath()
                        + " as a MaxMind DB (.mmdb) file: ");
    }

    @Test
    void withoutDatabaseTheModuleLoadsWithAWarningThatSaysWhatToSet() throws IOException {
        create("weight_default: -5\n");

        assertThat(env.warnings()).containsExactly(file() + ":1: no database: set, so GeoWeight knows no country and"
                + " scores and counts nothing; set database: to a country .mmdb file (see docs/CONFIG.md, GeoWeight)");
    }

    @Test
    void aDatabaseOfAnotherKindLoadsWithAWarning() throws IOException {
        new TinyMmdb("GeoLite2-ASN").put("8.0.0.0/8", Map.of("autonomous_system_number", new TinyMmdb.U32(15169)))
                .write(dir.resolve("asn.mmdb"));
        create("database: asn.mmdb\n");

        assertThat(env.warnings()).containsExactly(file() + ":1: database: the database's type is \"GeoLite2-ASN\","
                + " not a country or city database; addresses it has no country for score nothing");
    }

    @Test
    void theRealDatabaseLoadsWithoutWarning() throws IOException {
        create("database: " + GeoTestDatabase.path() + "\n");

        assertThat(env.warnings()).isEmpty();
    }

    private Path file() {
        return dir.resolve("geo.yml");
    }

    private ConfigNode load(String yaml) throws IOException {
        return ConfigLoader.loadFile(Files.writeString(file(), yaml), "");
    }

    private void create(String yaml) throws IOException {
        ManualClock clock = new ManualClock(Instant.EPOCH);
        env = new CheckEnvironment(new InMemoryStore(clock), clock, dir, "doorman", List.of(), List.of());
        new GeoWeightFactory().create("GeoWeight", load(yaml), env);
    }
}
