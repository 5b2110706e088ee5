package org.decency.checks.geoweight;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import org.decency.core.IpAddress;

/**
 * Finds the country an IP address is allocated to or located in. Implementations are
 * thread-safe and answer from memory (no network), so a check may call them on the
 * event loop.
 */
public interface CountryLookup {

    /**
     * The upper-case ISO 3166-1 alpha-2 code of {@code ip}'s country; empty when the
     * database does not know the address or the address is not public (private, loopback,
     * documentation, multicast...).
     *
     * @throws IOException when the database is damaged
     */
    Optional<String> country(IpAddress ip) throws IOException;

    /** A lookup that never knows a country. */
    static CountryLookup none() {
        return ip -> Optional.empty();
    }

    /** {@code text} as an upper-case two-letter code, or null when it is not two ASCII letters. */
    static String normalize(String text) {
        if (text == null || text.length() != 2) return null;
        String code = text.toUpperCase(Locale.ROOT);
        for (int i = 0; i < 2; i++) {
            char c = code.charAt(i);
            if (c < 'A' || c > 'Z') return null;
        }
        return code;
    }
}
