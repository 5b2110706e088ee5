package org.decency.checks.geoweight;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.decency.config.ConfigLoader;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.Evaluation;
import org.decency.core.Identifiers;
import org.decency.core.MailAddress;
import org.decency.core.ManualClock;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scores and statistics, with a stub lookup (the logic) and with the real database. */
class GeoWeightCheckTest {
    static final String CLASSES = """
            weight_classes:
              - countries: [DE, US]
                weight: 10
              - countries: [XX]
                weight: -25
            weight_default: -5
            """;
    /** A stub database: 192.0.2.x are documentation addresses, which the real lookup would refuse. */
    static final CountryLookup STUB = ip -> Optional.ofNullable(Map.of(
            "192.0.2.1", "DE", "192.0.2.2", "US", "192.0.2.3", "XX", "192.0.2.4", "FR").get(ip.toString()));

    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2024-12-31T23:59:00Z"));
    final InMemoryStore store = new InMemoryStore(clock);

    @Test
    void aListedCountryGetsItsClassWeightAndAnyOtherTheDefault() throws Exception {
        GeoWeightCheck check = check(CLASSES, STUB);

        assertThat(rcpt(check, "192.0.2.1").scores()).containsExactly(new Score("GeoWeight", 10, "country DE"));
        assertThat(rcpt(check, "192.0.2.2").scores()).containsExactly(new Score("GeoWeight", 10, "country US"));
        assertThat(rcpt(check, "192.0.2.3").scores()).containsExactly(new Score("GeoWeight", -25, "country XX"));
        assertThat(rcpt(check, "192.0.2.4").scores()).containsExactly(new Score("GeoWeight", -5, "country FR"));
        assertThat(check.stages()).containsExactly(Stage.RCPT);
        assertThat(check.blocking()).isFalse();
    }

    @Test
    void theScoreIsReportedUnderTheModulesOwnName() throws Exception {
        GeoWeightCheck check = new GeoWeightCheck("Geo2", config(CLASSES + "enable_stats: 1\n"), STUB, store, clock);

        assertThat(rcpt(check, "192.0.2.1").scores()).containsExactly(new Score("Geo2", 10, "country DE"));
        assertThat(store.get("geo:Geo2:DE:total")).contains("1");
    }

    @Test
    void anAddressWithoutCountryOrNoAddressAtAllGivesNothing() throws Exception {
        GeoWeightCheck check = check(CLASSES + "enable_stats: 1\n", STUB);

        assertThat(rcpt(check, "192.0.2.99")).isEqualTo(Outcome.nothing());
        assertThat(rcpt(check, "")).isEqualTo(Outcome.nothing());
        assertThat(rcpt(check, "unknown")).isEqualTo(Outcome.nothing());
        assertThat(store.get("geo:GeoWeight:DE:total")).isEmpty();
    }

    @Test
    void theRealDatabaseDecides() throws Exception {
        try (MmdbCountryLookup real = MmdbCountryLookup.open(GeoTestDatabase.path())) {
            GeoWeightCheck check = check(CLASSES, real);

            assertThat(rcpt(check, "8.8.8.8").scores()).containsExactly(new Score("GeoWeight", 10, "country US"));
            assertThat(rcpt(check, "2001:638::1").scores()).containsExactly(new Score("GeoWeight", 10, "country DE"));
            assertThat(rcpt(check, "2a00:1450:4001::1").scores()).containsExactly(new Score("GeoWeight", -5, "country IE"));
            assertThat(rcpt(check, "10.1.2.3")).isEqualTo(Outcome.nothing());
            assertThat(rcpt(check, "192.168.1.1")).isEqualTo(Outcome.nothing());
        }
    }

    @Test
    void withoutWeightClassesEveryKnownCountryScoresTheDefault() throws Exception {
        assertThat(rcpt(check("", STUB), "192.0.2.1").scores()).containsExactly(new Score("GeoWeight", 0, "country DE"));
        assertThat(rcpt(check("weight_default: 3\n", STUB), "192.0.2.3").scores()).containsExactly(new Score("GeoWeight", 3, "country XX"));
    }

    @Test
    void statisticsCountPerCountryForTheWholeTimeTheYearTheMonthAndTheDay() throws Exception {
        GeoWeightCheck check = check(CLASSES + "enable_stats: 1\n", STUB);

        rcpt(check, "192.0.2.1");
        rcpt(check, "192.0.2.1");
        rcpt(check, "192.0.2.4");
        clock.advance(Duration.ofMinutes(2)); // 2025-01-01T00:01Z: a new day, month and year (UTC)
        rcpt(check, "192.0.2.1");

        assertThat(counter("DE", "total")).isEqualTo(3);
        assertThat(counter("DE", "2024")).isEqualTo(2);
        assertThat(counter("DE", "2024-12")).isEqualTo(2);
        assertThat(counter("DE", "2024-12-31")).isEqualTo(2);
        assertThat(counter("DE", "2025")).isEqualTo(1);
        assertThat(counter("DE", "2025-01")).isEqualTo(1);
        assertThat(counter("DE", "2025-01-01")).isEqualTo(1);
        assertThat(counter("FR", "total")).isEqualTo(1);
        assertThat(counter("FR", "2024-12-31")).isEqualTo(1);
        assertThat(counter("FR", "2025-01-01")).isZero();
        assertThat(counter("US", "total")).isZero();
    }

    @Test
    void aDaysCounterIsForgottenAfterItsLifetimeButTheTotalStays() throws Exception {
        GeoWeightCheck check = check("enable_stats: 1\n", STUB);
        rcpt(check, "192.0.2.1");

        clock.advance(CountryStats.DAY_TTL.plusMinutes(1));
        assertThat(store.get("geo:GeoWeight:DE:2024-12-31")).isEmpty();
        assertThat(counter("DE", "2024-12")).isEqualTo(1);
        assertThat(counter("DE", "total")).isEqualTo(1);
    }

    @Test
    void aMessageWithSeveralRecipientsCountsOnceButScoresAtEveryRecipient() throws Exception {
        GeoWeightCheck check = check(CLASSES + "enable_stats: 1\n", STUB);

        for (int i = 0; i < 3; i++) {
            assertThat(check.evaluate(tx("192.0.2.1", "ABC123"), new Evaluation(-100)).total()).isEqualTo(10);
        }
        check.evaluate(tx("192.0.2.1", "DEF456"), new Evaluation(-100));

        assertThat(counter("DE", "total")).isEqualTo(2);
    }

    @Test
    void withDisableWeightTheCountryIsCountedAndShownButScoresZero() throws Exception {
        GeoWeightCheck check = check(CLASSES + "enable_stats: 1\ndisable_weight: 1\n", STUB);

        assertThat(rcpt(check, "192.0.2.3").scores()).containsExactly(new Score("GeoWeight", 0, "country XX"));
        assertThat(counter("XX", "2024-12-31")).isEqualTo(1);
    }

    @Test
    void withoutEnableStatsNothingIsWrittenToTheStore() throws Exception {
        GeoWeightCheck check = check(CLASSES, STUB);
        rcpt(check, "192.0.2.1");

        assertThat(store.get("geo:GeoWeight:DE:total")).isEmpty();
    }

    private long counter(String country, String interval) {
        return store.get("geo:GeoWeight:" + country + ":" + interval).map(Long::parseLong).orElse(0L);
    }

    private GeoWeightCheck check(String yaml, CountryLookup lookup) throws IOException {
        return new GeoWeightCheck("GeoWeight", config(yaml), lookup, store, clock);
    }

    private GeoWeightConfig config(String yaml) throws IOException {
        return GeoWeightConfig.from(ConfigLoader.loadFile(Files.writeString(dir.resolve("geo.yml"), yaml), ""));
    }

    private static Outcome rcpt(GeoWeightCheck check, String ip) throws Exception {
        return check.evaluate(tx(ip, ""), new Evaluation(-100));
    }

    private static Transaction tx(String ip, String instance) {
        Envelope e = new Envelope(MailAddress.parse("sender@example.net"), List.of(MailAddress.parse("user@example.org")), 0, 0, "", instance);
        return new Transaction(Identifiers.next(), Stage.RCPT, Connection.of(ip, "mx.example.net", "mx.example.net"), e, Map.of());
    }
}
