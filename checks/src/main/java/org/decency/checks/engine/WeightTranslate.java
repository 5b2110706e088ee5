package org.decency.checks.engine;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.decency.config.ConfigNode;

/**
 * The seeds' {@code weight_translate}: turns an engine's own score (SpamAssassin's 5.3,
 * CRM114's -12.4) into a Decency score by steps. The keys sorted ascending; a score at or
 * below the smallest key gets the smallest key's value; otherwise the value of the
 * smallest key strictly greater than the score; at or above the largest key, the largest
 * key's value. With {@code {5: -20, 1: -10, 0: 0, -2: 0, -3: 50, -10: 100}}: below -10
 * gives 100, -10 up to -3 gives 50, 0 up to 1 gives -10, 1 up to 5 gives -20, from 5 on -20.
 *
 * <p>Engines that count spam positive (SpamAssassin) need a table that flips the sign:
 * Decency's spam scores are negative.
 */
public record WeightTranslate(NavigableMap<Double, Double> steps) {

    public WeightTranslate {
        if (steps.isEmpty()) throw new IllegalArgumentException("weight_translate needs at least one step");
        steps = new TreeMap<>(steps);
    }

    public static WeightTranslate of(Map<Double, Double> steps) {
        return new WeightTranslate(new TreeMap<>(steps));
    }

    /** The {@code weight_translate} mapping of a module, or null when it has none. */
    public static WeightTranslate read(ConfigNode module) {
        ConfigNode n = module.child("weight_translate").orElse(null);
        if (n == null) return null;
        TreeMap<Double, Double> steps = new TreeMap<>();
        if (!n.isMapping()) throw n.error("expected a mapping {engine score: Decency score}");
        for (Map.Entry<String, ConfigNode> e : n.mapping().entrySet()) {
            double from;
            try {
                from = Double.parseDouble(e.getKey().strip());
            } catch (NumberFormatException x) {
                throw e.getValue().error("weight_translate keys are the engine's scores (numbers), got \"" + e.getKey() + "\"");
            }
            steps.put(from, e.getValue().asNumber());
        }
        if (steps.isEmpty()) throw n.error("weight_translate needs at least one step: {engine score: Decency score}");
        return new WeightTranslate(steps);
    }

    public double translate(double engineScore) {
        if (engineScore <= steps.firstKey()) return steps.firstEntry().getValue();
        Map.Entry<Double, Double> above = steps.higherEntry(engineScore);
        return above == null ? steps.lastEntry().getValue() : above.getValue();
    }
}
