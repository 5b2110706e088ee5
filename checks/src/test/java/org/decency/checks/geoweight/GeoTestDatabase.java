package org.decency.checks.geoweight;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real country database the tests read: {@code geo-whois-asn-country.mmdb} of the npm
 * package {@code @ip-location-db/geo-whois-asn-country-mmdb} (CC BY 4.0, NRO), which
 * {@code .ci/fetch-geoip-testdb} puts in {@code var/geoip/} (not committed: 7.8 MB, and its
 * licence asks for attribution). The system property {@value #PROPERTY} points elsewhere.
 * A test that needs it fails when it is missing: CI fetches it, so a missing file is a
 * broken set-up, not a reason to skip.
 */
final class GeoTestDatabase {
    static final String PROPERTY = "decency.geoip.testdb";
    static final Path DEFAULT = Path.of("..", "var", "geoip", "geo-whois-asn-country.mmdb");

    private GeoTestDatabase() {}

    static Path path() {
        String p = System.getProperty(PROPERTY);
        Path file = (p == null || p.isBlank() ? DEFAULT : Path.of(p)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            fail("The GeoIP test database is missing: " + file + ". Fetch it with `.ci/fetch-geoip-testdb`"
                    + " (needs npm; `.ci/run` does it), or point -D" + PROPERTY + "=FILE at geo-whois-asn-country.mmdb"
                    + " of @ip-location-db/geo-whois-asn-country-mmdb.");
        }
        return file;
    }
}
