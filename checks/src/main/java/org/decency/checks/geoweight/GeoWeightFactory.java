package org.decency.checks.geoweight;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/**
 * Makes {@link GeoWeightCheck}s from {@code - GeoWeight: ...}. A {@code database:} that
 * is missing, unreadable or no MaxMind DB stops the start with its file and line. A
 * module without {@code database:} (the seeds' files have none: their Geo::IP found its
 * own database) loads with a warning and knows no country, so it scores and counts
 * nothing.
 */
public final class GeoWeightFactory implements CheckFactory {
    @Override
    public String moduleName() {
        return "GeoWeight";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        GeoWeightConfig c = GeoWeightConfig.from(config);
        Optional<ConfigNode> where = config.child("database");
        config.finish();
        CountryLookup lookup;
        if (where.isPresent()) {
            lookup = open(where.get(), c.database().orElseThrow(), env);
        } else {
            env.warn(config, "no database: set, so " + name + " knows no country and scores and counts nothing;"
                    + " set database: to a country .mmdb file (see docs/CONFIG.md, GeoWeight)");
            lookup = CountryLookup.none();
        }
        return new GeoWeightCheck(name, c, lookup, env.store(), env.clock());
    }

    private static CountryLookup open(ConfigNode where, Path file, CheckEnvironment env) {
        if (!Files.exists(file)) throw where.error("file not found: " + file);
        if (!Files.isRegularFile(file)) throw where.error("not a file: " + file);
        if (!Files.isReadable(file)) throw where.error("cannot read " + file + " (no permission)");
        MmdbCountryLookup lookup;
        try {
            lookup = MmdbCountryLookup.open(file);
        } catch (IOException | RuntimeException e) {
            throw where.error("cannot read " + file + " as a MaxMind DB (.mmdb) file: " + e.getMessage());
        }
        String type = lookup.databaseType() == null ? "" : lookup.databaseType();
        String t = type.toLowerCase(Locale.ROOT);
        if (!t.contains("country") && !t.contains("city")) {
            env.warn(where, "the database's type is \"" + type + "\", not a country or city database;"
                    + " addresses it has no country for score nothing");
        }
        return lookup;
    }
}
