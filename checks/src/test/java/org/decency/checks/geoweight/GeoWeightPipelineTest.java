package org.decency.checks.geoweight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.decency.config.ConfigException;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.Action;
import org.decency.core.CheckEnvironment;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.ManualClock;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.pipeline.PipelineBuilder;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GeoWeight built from a server config with the real database, as the Doorman runs it. */
class GeoWeightPipelineTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T10:00:00Z"));
    final InMemoryStore store = new InMemoryStore(clock);

    @Test
    void theCountryOfTheClientScoresItsClassWeight() throws IOException {
        PipelineBuilder.Result r = build("""
                modules:
                  - GeoWeight:
                      database: %s
                      weight_classes:
                        - {countries: [DE, US], weight: 10}
                        - {countries: [IE], weight: -150}
                      weight_default: -5
                      enable_stats: 1
                """.formatted(GeoTestDatabase.path()));
        assertThat(r.warnings()).isEmpty();

        Verdict us = r.pipeline().run(rcpt("8.8.8.8"));
        assertThat(us.action()).isEqualTo(Action.DUNNO);
        assertThat(us.briefScores()).isEqualTo("GeoWeight=10");
        assertThat(us.scores().getFirst().detail()).isEqualTo("country US");

        assertThat(r.pipeline().run(rcpt("193.0.0.1")).briefScores()).isEqualTo("GeoWeight=-5");
        assertThat(r.pipeline().run(rcpt("10.0.0.1")).briefScores()).as("no country: nothing").isEqualTo("GeoWeight=0");

        Verdict ie = r.pipeline().run(rcpt("2a00:1450:4001::1"));
        assertThat(ie.action()).as("a negative class weight beyond the threshold").isEqualTo(Action.REJECT);
        assertThat(ie.total()).isEqualTo(-150);

        assertThat(store.get("geo:GeoWeight:US:2024-05-01")).contains("1");
        assertThat(store.get("geo:GeoWeight:IE:2024")).contains("1");
    }

    @Test
    void aModuleFileNamesItsDatabaseRelativeToItself() throws IOException {
        Files.createDirectories(dir.resolve("geoip"));
        Path link = Files.createSymbolicLink(dir.resolve("geoip/country.mmdb"), GeoTestDatabase.path());
        Files.createDirectories(dir.resolve("doorman"));
        Files.writeString(dir.resolve("doorman/geo-weight.yml"), """
                ---
                disable: 0
                database: ../geoip/country.mmdb
                weight_classes:
                  - countries: [AU, DE, US]
                    weight: 10
                  - countries: [DK, SE]
                    weight: 5
                weight_default: -5
                """);
        try {
            PipelineBuilder.Result r = build("modules:\n  - GeoWeight: doorman/geo-weight.yml\n");

            assertThat(r.warnings()).isEmpty();
            assertThat(r.pipeline().run(rcpt("130.149.1.1")).briefScores()).isEqualTo("GeoWeight=10");
            assertThat(r.pipeline().run(rcpt("129.132.1.1")).briefScores()).isEqualTo("GeoWeight=-5");
        } finally {
            Files.delete(link); // the temporary directory's clean-up would warn about a link leading out of it
        }
    }

    @Test
    void theSeedsModuleFileWithoutDatabaseLoadsWithAWarningAndScoresNothing() throws IOException {
        Files.writeString(dir.resolve("geo-weight.yml"), """
                ---
                disable: 0
                weight_classes:
                  - countries: [AU, DE, US]
                    weight: 10
                weight_default: -5
                """);
        PipelineBuilder.Result r = build("modules:\n  - GeoWeight: geo-weight.yml\n");

        assertThat(r.warnings()).containsExactly(dir.resolve("geo-weight.yml") + ":2: no database: set, so GeoWeight knows no"
                + " country and scores and counts nothing; set database: to a country .mmdb file (see docs/CONFIG.md, GeoWeight)");
        assertThat(r.pipeline().run(rcpt("8.8.8.8")).briefScores()).isEqualTo("GeoWeight=0");
    }

    @Test
    void aDatabaseThatIsNotThereStopsTheStartWithItsFileAndLine() throws IOException {
        assertThatThrownBy(() -> build("modules:\n  - GeoWeight:\n      weight_default: 1\n      database: none.mmdb\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("doorman.yml") + ":4: modules[0].GeoWeight.database: file not found: "
                        + dir.resolve("none.mmdb").toAbsolutePath());
    }

    private PipelineBuilder.Result build(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("doorman.yml"), yaml);
        ConfigNode root = ConfigLoader.load(file);
        CheckEnvironment env = new CheckEnvironment(store, clock, dir, "doorman", List.of(), List.of());
        PipelineBuilder.Result result = new PipelineBuilder().build(root, env, null);
        root.finish();
        return result;
    }

    private static Transaction rcpt(String ip) {
        return Transaction.of(Stage.RCPT, Connection.of(ip, "mx.example.net", "mx.example.net"),
                Envelope.of("sender@example.net", "user@example.org"));
    }
}
