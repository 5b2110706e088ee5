package org.decency.checks.geoweight;

import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;

/**
 * The parts of an {@code .mmdb} record that can name a country, in the layouts in use:
 * {@code {country_code: "US"}} (ip-location-db), {@code {country: {iso_code: "US"}}}
 * (GeoLite2, GeoIP2, DB-IP country and city) and {@code registered_country} (where the
 * network is registered; GeoLite2 has only that for some networks, e.g. anycast).
 * Everything else in the record is skipped, not decoded. Public because the reader
 * builds it by reflection.
 */
public record MmdbRecord(String countryCode, Place country, Place registeredCountry) {

    @MaxMindDbConstructor
    public MmdbRecord(@MaxMindDbParameter(name = "country_code") String countryCode,
                      @MaxMindDbParameter(name = "country") Place country,
                      @MaxMindDbParameter(name = "registered_country") Place registeredCountry) {
        this.countryCode = countryCode;
        this.country = country;
        this.registeredCountry = registeredCountry;
    }

    /** The first valid code of {@code country_code}, {@code country.iso_code}, {@code registered_country.iso_code}; or null. */
    public String code() {
        String c = CountryLookup.normalize(countryCode);
        if (c == null && country != null) c = CountryLookup.normalize(country.isoCode());
        if (c == null && registeredCountry != null) c = CountryLookup.normalize(registeredCountry.isoCode());
        return c;
    }

    /** A {@code country} or {@code registered_country} map; only its {@code iso_code} is read. */
    public record Place(String isoCode) {
        @MaxMindDbConstructor
        public Place(@MaxMindDbParameter(name = "iso_code") String isoCode) {
            this.isoCode = isoCode;
        }
    }
}
