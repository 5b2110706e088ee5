package org.decency.checks.geoweight;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.decency.checks.support.MessageMarks;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.IpAddress;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.store.Store;

/**
 * GeoWeight: scores the client by the country of its address. A country listed in a
 * weight class gets the class weight, any other known country {@code weight_default};
 * the score is reported under the module's name with the detail {@code country DE}
 * (one code for all countries, so {@code custom_scoring} weights and exclusions name the
 * module as usual; the detail and the statistics tell the countries apart). An address
 * without a country (private, unknown to the database) gets nothing. With
 * {@code enable_stats} each message is counted once per country ({@link CountryStats};
 * Postfix's {@code instance} tells the requests of one message apart). The lookup is a
 * memory-mapped file read, so the check does not block.
 */
public final class GeoWeightCheck implements Check {
    private final String name;
    private final GeoWeightConfig config;
    private final CountryLookup lookup;
    private final CountryStats stats;
    private final MessageMarks counted;

    public GeoWeightCheck(String name, GeoWeightConfig config, CountryLookup lookup, Store store, Clock clock) {
        this.name = name;
        this.config = config;
        this.lookup = lookup;
        this.stats = config.stats() ? new CountryStats(store, clock, name) : null;
        this.counted = new MessageMarks(clock);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Stage> stages() {
        return Set.of(Stage.RCPT);
    }

    @Override
    public Outcome evaluate(Transaction tx, Evaluation run) throws IOException {
        IpAddress ip = tx.connection().ip();
        if (ip == null) return Outcome.nothing();
        Optional<String> found = lookup.country(ip);
        if (found.isEmpty()) return Outcome.nothing();
        String country = found.get();
        if (stats != null) {
            String instance = tx.envelope().instance();
            if (instance.isEmpty() || counted.add(instance)) stats.count(country);
        }
        double weight = config.weigh() ? config.weightOf(country) : 0;
        return Outcome.score(name, weight, "country " + country);
    }
}
