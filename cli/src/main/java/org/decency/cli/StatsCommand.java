package org.decency.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.config.Durations;
import org.decency.pipeline.StatsRecorder;
import org.decency.store.StatsRow;
import org.decency.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code decency stats}: the statistics the servers keep ({@code stats:}), as tables, read
 * from the database the config names (the embedded file, PostgreSQL, or Redis), beside
 * running servers. Every server found there is shown unless {@code --server} picks one.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Print the statistics (stats:) as tables: per check calls, hits, final words, rejects, mean and p99 time;"
                + " the final states; the answers per check.")
final class StatsCommand implements Callable<Integer> {
    /** How far back each period kind looks by default. */
    static final Map<String, Duration> DEFAULT_SINCE = Map.of("hour", Duration.ofHours(24), "day", Duration.ofDays(30),
            "week", Duration.ofDays(12 * 7), "month", Duration.ofDays(365), "year", Duration.ofDays(10 * 365));

    @Option(names = {"-c", "--config"}, defaultValue = "${env:DECENCY_HOME:-.}/config/doorman.yml",
            description = "a doorman.yml or detective.yml naming the database (default: ${DEFAULT-VALUE})")
    Path config;

    @Option(names = {"-i", "--interval"}, description = "hour, day, week, month or year (default: the config's first stats interval, else hour)")
    String interval;

    @Option(names = {"-s", "--since"}, description = "how far back: a duration (24h, 7d, 2w) or a UTC date or time"
            + " (2024-05-01, 2024-05-01T10:00); default: 24h for hour, 30d for day, 12w for week, 365d for month, 10 years for year")
    String since;

    @Option(names = {"--server"}, description = "only this server (doorman, detective, defender); default: every server found")
    String server;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws Exception {
        ConfigNode root = ConfigLoader.load(config);
        String period = interval != null ? interval.toLowerCase(Locale.ROOT) : configuredInterval(root);
        if (!StatsRecorder.ALL_PERIODS.contains(period)) return usage("--interval: expected one of " + StatsRecorder.ALL_PERIODS + ", got \"" + interval + "\"");
        Instant now = clock.instant();
        Instant from;
        try {
            from = since == null ? now.minus(DEFAULT_SINCE.get(period)) : parseSince(since, now);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        long fromStart = StatsRecorder.periodStart(period, from), toStart = StatsRecorder.periodStart(period, now);
        StoreConfig sc = StoreConfig.read(root);
        List<StatsRow> rows;
        String where;
        try (StoreConfig.Stats stats = sc.openStats()) {
            rows = stats.reader().read(server, period, fromStart, toStart);
            where = stats.where();
        } catch (StoreException | IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        TreeSet<String> servers = new TreeSet<>();
        for (StatsRow r : rows) servers.add(r.server());
        if (servers.isEmpty()) {
            System.out.println("no statistics per " + period + " since "
                    + java.time.format.DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(fromStart))
                    + (server == null ? "" : " for " + server) + " in " + where
                    + " (are stats: on, with " + period + " among their intervals?)");
            return 0;
        }
        boolean first = true;
        for (String s : servers) {
            if (!first) System.out.println();
            first = false;
            System.out.print(StatsReport.render(s, period, fromStart, toStart, rows));
        }
        return 0;
    }

    /** The first interval of the config's {@code stats:} (hour and day for {@code enable_stats: 1}); hour without any. */
    static String configuredInterval(ConfigNode root) {
        return root.child("stats").flatMap(s -> s.child("intervals")).map(ConfigNode::asStrings)
                .filter(l -> !l.isEmpty()).map(List::getFirst).orElse("hour");
    }

    static Instant parseSince(String text, Instant now) {
        var d = Durations.parse(text);
        if (d.isPresent()) return now.minus(d.get());
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            // not a date
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // not a date and time
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--since: expected a duration (24h, 7d) or a UTC date or time (2024-05-01,"
                    + " 2024-05-01T10:00), got \"" + text + "\"");
        }
    }

    private static int usage(String problem) {
        System.err.println("error: " + problem);
        return 2;
    }
}
