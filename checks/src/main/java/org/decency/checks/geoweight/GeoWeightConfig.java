package org.decency.checks.geoweight;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.decency.config.ConfigNode;

/**
 * The settings of a GeoWeight module. Example:
 *
 * <pre>{@code
 * - GeoWeight:
 *     database: /var/lib/GeoIP/GeoLite2-Country.mmdb   # a country .mmdb, relative to this file
 *     weight_classes:
 *       - countries: [DE, AT, CH]
 *         weight: 10                # ham-ish
 *       - countries: [XX, YY]
 *         weight: -20               # spam-ish: negative weights are allowed
 *     weight_default: 0             # every other known country
 *     enable_stats: 0               # 1: count mails per country (total, year, month, day)
 *     disable_weight: 0             # 1: only count, never score
 * }</pre>
 *
 * @param database the country database, resolved against the file it is written in; absent in
 *                 the seeds' files (their Geo::IP found its own database)
 * @param weights  the class weight of each listed country (upper-case codes)
 * @param stats    {@code enable_stats}
 * @param weigh    not {@code disable_weight}
 */
public record GeoWeightConfig(Optional<Path> database, Map<String, Double> weights, double weightDefault,
                              boolean stats, boolean weigh) {

    public GeoWeightConfig {
        weights = Map.copyOf(weights);
    }

    public static GeoWeightConfig from(ConfigNode n) {
        Optional<Path> file = n.child("database").map(d -> d.dir().resolve(d.text()).normalize());
        Map<String, Double> weights = classes(n.list("weight_classes"));
        double weightDefault = n.number("weight_default", 0);
        boolean stats = n.bool("enable_stats", false);
        boolean disableWeight = n.bool("disable_weight", false);
        if (disableWeight && !stats) {
            throw n.required("disable_weight").error("nothing left to do: with disable_weight: 1, set enable_stats: 1 (or disable the module)");
        }
        return new GeoWeightConfig(file, weights, weightDefault, stats, !disableWeight);
    }

    /** The weight for a mail from {@code country}: its class weight, or the default. */
    public double weightOf(String country) {
        return weights.getOrDefault(country, weightDefault);
    }

    private static Map<String, Double> classes(List<ConfigNode> list) {
        Map<String, Double> weights = new LinkedHashMap<>();
        Map<String, String> where = new LinkedHashMap<>();
        for (ConfigNode c : list) {
            ConfigNode countries = c.required("countries");
            double weight = c.required("weight").asNumber();
            List<ConfigNode> items = countries.isScalar() ? List.of(countries) : countries.asList();
            if (items.isEmpty()) throw countries.error("expected at least one country code, e.g. [DE, AT]");
            for (ConfigNode item : items) {
                String code = CountryLookup.normalize(item.text().strip());
                if (code == null) {
                    throw item.error("expected a two-letter ISO 3166 country code such as DE, got \"" + item.text() + "\"");
                }
                if (where.containsKey(code)) throw item.error("country " + code + " is already listed in " + where.get(code));
                where.put(code, c.path());
                weights.put(code, weight);
            }
            c.finish();
        }
        return weights;
    }
}
