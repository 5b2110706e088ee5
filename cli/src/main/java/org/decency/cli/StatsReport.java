package org.decency.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.decency.core.Scores;
import org.decency.pipeline.LatencyBuckets;
import org.decency.store.InMemoryStore;
import org.decency.store.StatsRow;

/**
 * The tables {@code decency stats} prints for one server, from its rows of one period kind
 * summed over the periods asked for: per check its calls, hits, final words, refusals,
 * mean and p99 time and score sum ({@code module_performance}); the final states
 * ({@code final_state}); and per check the answers of the runs it was asked in
 * ({@code module_results}).
 */
final class StatsReport {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private StatsReport() {}

    /** The report of {@code server}; {@code rows} may hold other servers' rows too (they are left out). */
    static String render(String server, String period, long from, long to, List<StatsRow> rows) {
        List<StatsRow> mine = InMemoryStore.sum(rows.stream().filter(r -> r.server().equals(server))
                .map(r -> new StatsRow(r.server(), r.table(), r.module(), r.status(), r.period(), 0, r.calls(), r.hits(), r.finals(),
                        r.rejects(), r.score(), r.runtimeSeconds(), r.buckets()))
                .toList());
        long periods = rows.stream().filter(r -> r.server().equals(server)).map(StatsRow::start).distinct().count();
        StringBuilder out = new StringBuilder();
        out.append(server).append(", per ").append(period).append(", ").append(WHEN.format(Instant.ofEpochSecond(from)))
                .append(" to ").append(WHEN.format(Instant.ofEpochSecond(to))).append(" UTC (").append(periods).append(' ')
                .append(period).append(periods == 1 ? "" : "s").append(" with statistics)\n");

        List<StatsRow> perf = mine.stream().filter(r -> r.table().equals(StatsRow.PERFORMANCE))
                .sorted(Comparator.comparingLong(StatsRow::calls).reversed().thenComparing(StatsRow::module)).toList();
        if (!perf.isEmpty()) {
            List<String[]> t = new ArrayList<>();
            t.add(new String[]{"check", "calls", "hits", "final words", "rejects", "mean ms", "p99 ms", "score"});
            for (StatsRow r : perf) {
                t.add(new String[]{r.module(), Long.toString(r.calls()), Long.toString(r.hits()), Long.toString(r.finals()),
                        Long.toString(r.rejects()), r.calls() == 0 ? "-" : ms(r.runtimeSeconds() / r.calls()), p99(r.buckets()),
                        Scores.format(r.score())});
            }
            out.append('\n').append(table(t, 1));
        }

        List<StatsRow> states = mine.stream().filter(r -> r.table().equals(StatsRow.FINAL_STATE))
                .sorted(Comparator.comparingLong(StatsRow::calls).reversed().thenComparing(StatsRow::status)).toList();
        if (!states.isEmpty()) {
            long total = states.stream().mapToLong(StatsRow::calls).sum();
            List<String[]> t = new ArrayList<>();
            t.add(new String[]{"final state", "mails", "share"});
            for (StatsRow r : states) {
                t.add(new String[]{r.status(), Long.toString(r.calls()), String.format(Locale.ROOT, "%.1f%%", 100.0 * r.calls() / total)});
            }
            t.add(new String[]{"total", Long.toString(total), ""});
            out.append('\n').append(table(t, 1));
        }

        List<StatsRow> results = mine.stream().filter(r -> r.table().equals(StatsRow.RESPONSE)).toList();
        if (!results.isEmpty()) {
            TreeSet<String> answers = new TreeSet<>();
            Map<String, Map<String, Long>> byModule = new LinkedHashMap<>();
            for (StatsRow r : results.stream().sorted(Comparator.comparing(StatsRow::module)).toList()) {
                answers.add(r.status());
                byModule.computeIfAbsent(r.module(), m -> new TreeMap<>()).merge(r.status(), r.calls(), Long::sum);
            }
            List<String[]> t = new ArrayList<>();
            List<String> head = new ArrayList<>(List.of("check"));
            head.addAll(answers);
            t.add(head.toArray(String[]::new));
            byModule.forEach((module, counts) -> {
                List<String> line = new ArrayList<>(List.of(module));
                for (String a : answers) line.add(Long.toString(counts.getOrDefault(a, 0L)));
                t.add(line.toArray(String[]::new));
            });
            out.append("\nanswers of the runs each check was asked in\n").append(table(t, 1));
        }
        if (perf.isEmpty() && states.isEmpty() && results.isEmpty()) out.append("no statistics in this range\n");
        return out.toString();
    }

    static String ms(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds * 1000);
    }

    /** The p99 in ms as estimated from the latency buckets; {@code >30000} beyond the last bound; {@code -} without calls. */
    static String p99(long[] buckets) {
        double q = LatencyBuckets.quantile(buckets, 0.99);
        if (Double.isNaN(q)) return "-";
        if (LatencyBuckets.beyondLastBound(buckets, 0.99)) return ">" + ms(q).replaceFirst("\\.0+$", "");
        return ms(q);
    }

    /** Left-aligns the first {@code textColumns} columns and right-aligns the numbers after them. */
    static String table(List<String[]> rows, int textColumns) {
        int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] width = new int[cols];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                if (i > 0) line.append("  ");
                String cell = r[i];
                String pad = " ".repeat(width[i] - cell.length());
                line.append(i < textColumns ? cell + pad : pad + cell);
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }
}
