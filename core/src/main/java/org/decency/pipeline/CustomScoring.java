package org.decency.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.decency.config.ConfigException;
import org.decency.config.ConfigNode;
import org.decency.core.MailAddress;

/**
 * Per-recipient overrides ({@code custom_scoring:}): a threshold per recipient address
 * or domain ({@code thresholds:} inline, or a {@code file:} of {@code recipient:value}
 * lines), and a weight factor per module per recipient domain ({@code weights:}).
 * Lookup: the exact address first, then the domain and its parents. Module names match whatever their case.
 */
public final class CustomScoring {
    private final Map<String, Double> thresholds = new HashMap<>();
    private final Map<String, Map<String, Double>> weights = new HashMap<>();

    public static CustomScoring none() {
        return new CustomScoring();
    }

    public static CustomScoring read(ConfigNode section) {
        CustomScoring cs = new CustomScoring();
        section.child("thresholds").ifPresent(t -> t.mapping().forEach((rcpt, v) ->
                cs.thresholds.put(rcpt.toLowerCase(Locale.ROOT), v.asNumber())));
        section.child("file").ifPresent(f -> cs.readFile(section.dir().resolve(f.text()), f));
        section.child("weights").ifPresent(w -> w.mapping().forEach((domain, mods) -> {
            Map<String, Double> m = new HashMap<>();
            mods.mapping().forEach((module, factor) -> m.put(module.toLowerCase(Locale.ROOT), factor.asNumber()));
            cs.weights.put(domain.toLowerCase(Locale.ROOT), m);
        }));
        if (section.bool("database", false)) {
            throw section.required("database").error("custom scoring from the database is not available yet; use thresholds: or file:");
        }
        section.duration("cache_timeout", java.time.Duration.ZERO); // the seeds cached lookups; ours are in memory
        section.finish();
        return cs;
    }

    private void readFile(Path file, ConfigNode where) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw where.error("cannot read " + file + ": " + e.getMessage());
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int colon = line.lastIndexOf(':');
            try {
                if (colon <= 0) throw new NumberFormatException();
                thresholds.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        Double.parseDouble(line.substring(colon + 1).strip()));
            } catch (NumberFormatException e) {
                throw ConfigException.at(file, i + 1, "", "expected recipient:threshold (e.g. example.org:-50), got \"" + line + "\"");
            }
        }
    }

    public double threshold(MailAddress recipient, double global) {
        if (thresholds.isEmpty()) return global;
        Double v = thresholds.get(recipient.normalized());
        if (v != null) return v;
        Double d = byDomain(thresholds, recipient.domain());
        return d != null ? d : global;
    }

    public double weight(String module, MailAddress recipient) {
        if (weights.isEmpty()) return 1.0;
        Map<String, Double> m = byDomain(weights, recipient.domain());
        if (m == null) return 1.0;
        return m.getOrDefault(module.toLowerCase(Locale.ROOT), 1.0);
    }

    private static <T> T byDomain(Map<String, T> map, String domain) {
        for (String d = domain; !d.isEmpty(); ) {
            T v = map.get(d);
            if (v != null) return v;
            int dot = d.indexOf('.');
            if (dot < 0) return null;
            d = d.substring(dot + 1);
        }
        return null;
    }
}
