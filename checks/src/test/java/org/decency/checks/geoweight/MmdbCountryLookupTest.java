package org.decency.checks.geoweight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.decency.core.IpAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Country lookups in the real ip-location-db file and in small files of the GeoLite2 / DB-IP layouts. */
class MmdbCountryLookupTest {
    static MmdbCountryLookup real;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() throws IOException {
        real = MmdbCountryLookup.open(GeoTestDatabase.path());
    }

    @AfterAll
    static void close() throws IOException {
        if (real != null) real.close();
    }

    @Test
    void knownAllocationsHaveTheirCountries() throws IOException {
        assertThat(country("8.8.8.8")).contains("US");                 // Google DNS
        assertThat(country("2001:4860:4860::8888")).contains("US");
        assertThat(country("2a00:1450:4001::1")).contains("IE");       // Google's European network
        assertThat(country("193.0.0.1")).contains("NL");               // RIPE NCC
        assertThat(country("2001:67c:2e8::1")).contains("NL");
        assertThat(country("130.149.1.1")).contains("DE");             // TU Berlin
        assertThat(country("2001:638::1")).contains("DE");             // DFN
        assertThat(country("129.132.1.1")).contains("CH");             // ETH Zurich
        assertThat(country("202.12.29.1")).contains("AU");             // APNIC
        assertThat(country("200.160.0.1")).contains("BR");             // NIC.br
        assertThat(real.databaseType()).isEqualTo("country ipvAll");
    }

    @Test
    void anIpv4MappedIpv6AddressIsLookedUpAsIpv4() throws IOException {
        assertThat(country("::ffff:8.8.8.8")).contains("US");
    }

    @Test
    void privateAndOtherNonPublicAddressesHaveNoCountry() throws IOException {
        for (String ip : List.of("10.1.2.3", "172.16.5.5", "127.0.0.1", "169.254.1.1", "100.64.0.1", "224.0.0.1",
                "255.255.255.255", "0.0.0.0", "::1", "fc00::1", "fe80::1", "ff02::1")) {
            assertThat(country(ip)).as(ip).isEmpty();
        }
    }

    @Test
    void nonPublicAddressesHaveNoCountryEvenWhereTheDatabaseGivesThemOne() throws IOException {
        // This version of the file gives 192.168.0.0/16, the documentation networks and
        // 2001:db8::/32 a country (the package warns of bugs in its data): we ask it nothing for them.
        for (String ip : List.of("192.168.1.1", "192.0.2.1", "198.51.100.1", "203.0.113.5", "198.18.0.1", "2001:db8::1")) {
            assertThat(country(ip)).as(ip).isEmpty();
        }
    }

    @Test
    void lookupsFromManyThreadsAgree() throws Exception {
        Map<String, String> expected = Map.of("8.8.8.8", "US", "2a00:1450:4001::1", "IE", "193.0.0.1", "NL",
                "130.149.1.1", "DE", "202.12.29.1", "AU");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Callable<Boolean> task = () -> {
                    for (int i = 0; i < 2000; i++) {
                        for (var e : expected.entrySet()) {
                            if (!country(e.getKey()).equals(Optional.of(e.getValue()))) return false;
                        }
                    }
                    return true;
                };
                results.add(pool.submit(task));
            }
            for (Future<Boolean> f : results) assertThat(f.get()).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theGeoLite2LayoutIsReadFromCountryIsoCodeThenRegisteredCountry() throws IOException {
        Path file = new TinyMmdb("GeoLite2-Country")
                .put("8.0.0.0/8", Map.of("continent", Map.of("code", "NA"),
                        "country", Map.of("iso_code", "US", "names", Map.of("en", "United States", "de", "USA")),
                        "registered_country", Map.of("iso_code", "CA")))
                .put("9.0.0.0/8", Map.of("registered_country", Map.of("iso_code", "FR")))
                .put("11.0.0.0/8", Map.of("continent", Map.of("code", "EU")))
                .put("12.0.0.0/8", Map.of("country_code", "de"))
                .put("13.0.0.0/8", Map.of("country", Map.of("iso_code", "Europe"), "registered_country", Map.of("iso_code", "SE")))
                .write(dir.resolve("layouts.mmdb"));
        try (MmdbCountryLookup lookup = MmdbCountryLookup.open(file)) {
            assertThat(lookup.country(TinyMmdb.in("8.1.2.3"))).contains("US");
            assertThat(lookup.country(TinyMmdb.in("9.1.2.3"))).as("registered_country only").contains("FR");
            assertThat(lookup.country(TinyMmdb.in("11.1.2.3"))).as("no country in the record").isEmpty();
            assertThat(lookup.country(TinyMmdb.in("12.1.2.3"))).as("ip-location-db, lower case").contains("DE");
            assertThat(lookup.country(TinyMmdb.in("13.1.2.3"))).as("not a country code").contains("SE");
            assertThat(lookup.country(TinyMmdb.in("14.1.2.3"))).as("not in the database").isEmpty();
            assertThat(lookup.databaseType()).isEqualTo("GeoLite2-Country");
        }
    }

    @Test
    void aFileThatIsNoMaxMindDbIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("country.mmdb"), "8.8.8.0/24,US\n");
        assertThatThrownBy(() -> MmdbCountryLookup.open(file)).isInstanceOf(IOException.class);
    }

    private static Optional<String> country(String ip) throws IOException {
        return real.country(IpAddress.parse(ip).orElseThrow());
    }
}
