package org.decency.checks.geoweight;

import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;
import org.decency.checks.support.PublicAddresses;
import org.decency.core.IpAddress;

/**
 * Countries from a MaxMind DB ({@code .mmdb}) file: GeoLite2/GeoIP2 Country or City,
 * DB-IP country or city lite, ip-location-db's country files. The file is memory-mapped
 * (the operating system pages it in; the heap holds only a small cache of decoded
 * records) and the reader is thread-safe. Replace the file by renaming a new one over
 * it, never by writing into it: the mapping would see a half-written file. A new file
 * is read at the next start.
 */
public final class MmdbCountryLookup implements CountryLookup, AutoCloseable {
    private final Reader reader;

    private MmdbCountryLookup(Reader reader) {
        this.reader = reader;
    }

    /** Opens {@code file}; fails when it cannot be read or is not a MaxMind DB. */
    public static MmdbCountryLookup open(Path file) throws IOException {
        return new MmdbCountryLookup(new Reader(file.toFile(), Reader.FileMode.MEMORY_MAPPED, new CHMCache()));
    }

    @Override
    public Optional<String> country(IpAddress ip) throws IOException {
        if (ip == null || !PublicAddresses.isPublic(ip)) return Optional.empty();
        // From the address bytes: never a name lookup.
        MmdbRecord r = reader.get(InetAddress.getByAddress(ip.bytes()), MmdbRecord.class);
        return r == null ? Optional.empty() : Optional.ofNullable(r.code());
    }

    /** The database's own description of its kind, e.g. {@code GeoLite2-Country} or {@code country ipvAll}. */
    public String databaseType() {
        return reader.getMetadata().databaseType();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
