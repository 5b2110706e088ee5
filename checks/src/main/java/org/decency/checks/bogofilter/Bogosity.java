package org.decency.checks.bogofilter;

import java.util.Locale;
import java.util.Optional;
import org.decency.checks.engine.CommandCheck.BadAnswer;
import org.decency.checks.engine.EngineCommand;

/**
 * Bogofilter's verdict, read from the {@code X-Bogosity} line it prints with {@code -v}:
 * {@code X-Bogosity: Spam, tests=bogofilter, spamicity=0.996121, version=1.2.5}. The class
 * is the first word ({@code Spam}, {@code Ham}, {@code Unsure}; the old {@code Yes} and
 * {@code No} too, any case), the spamicity the {@code spamicity=} attribute (0 to 1; absent
 * when bogofilter's config leaves it out). An exit status of 3 or more is bogofilter's
 * error, whatever it printed.
 *
 * @param line the line as bogofilter printed it
 */
record Bogosity(Kind kind, Optional<Double> spamicity, String line) {

    enum Kind { SPAM, HAM, UNSURE }

    static final String FIELD = "X-Bogosity";

    static Bogosity of(EngineCommand.Result r) throws BadAnswer {
        if (r.exit() >= 3) throw new BadAnswer(r.describe());
        String line = r.field(FIELD).orElseThrow(() -> new BadAnswer("no " + FIELD + " line in its answer ("
                + r.describe() + (r.headerBlock().isBlank() ? "" : "; it printed: " + cut(r.headerBlock().strip())) + ")"));
        String value = line.substring(line.indexOf(':') + 1).strip();
        String[] parts = value.split("\\s*,\\s*");
        Kind kind = switch (parts[0].strip().toLowerCase(Locale.ROOT)) {
            case "spam", "yes" -> Kind.SPAM;
            case "ham", "no" -> Kind.HAM;
            case "unsure" -> Kind.UNSURE;
            default -> throw new BadAnswer("an " + FIELD + " line without Spam, Ham or Unsure: " + cut(line));
        };
        Double spamicity = null;
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq < 0 || !parts[i].substring(0, eq).strip().equalsIgnoreCase("spamicity")) continue;
            try {
                double s = Double.parseDouble(parts[i].substring(eq + 1).strip());
                if (s >= 0 && s <= 1) spamicity = s;
            } catch (NumberFormatException ignored) {
                // not a number: as if absent
            }
            if (spamicity == null) throw new BadAnswer("a spamicity that is not a number from 0 to 1: " + cut(line));
        }
        return new Bogosity(kind, Optional.ofNullable(spamicity), line);
    }

    private static String cut(String s) {
        s = s.replace('\n', ' ');
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
