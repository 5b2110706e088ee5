package org.decency.checks.crm114;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.decency.checks.engine.CommandCheck.BadAnswer;
import org.decency.checks.engine.EngineCommand;

/**
 * CRM114's verdict, read from the {@code X-CRM114-Status} line mailreaver prints: {@code
 * X-CRM114-Status: SPAM  ( -11.03  )}. The class is the first word ({@code SPAM}, {@code
 * GOOD}, {@code UNSURE}, any case), the score the number in parentheses: CRM114's pR,
 * positive for good mail and negative for spam, the same direction as Decency's scores.
 *
 * @param line the line as CRM114 printed it
 */
record Crm114Status(Kind kind, Optional<Double> score, String line) {

    enum Kind { SPAM, GOOD, UNSURE }

    static final String FIELD = "X-CRM114-Status";
    private static final Pattern SCORE = Pattern.compile("\\(\\s*([-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+))\\s*\\)");
    private static final Pattern WORD = Pattern.compile("[A-Za-z]+");

    static Crm114Status of(EngineCommand.Result r) throws BadAnswer {
        String line = r.field(FIELD).orElseThrow(() -> new BadAnswer("no " + FIELD + " line in its answer (" + describe(r) + ")"));
        String value = line.substring(line.indexOf(':') + 1).strip();
        Matcher w = WORD.matcher(value);
        String word = w.lookingAt() ? w.group().toUpperCase(Locale.ROOT) : "";
        Kind kind = switch (word) {
            case "SPAM" -> Kind.SPAM;
            case "GOOD" -> Kind.GOOD;
            case "UNSURE" -> Kind.UNSURE;
            default -> throw new BadAnswer("an " + FIELD + " line without SPAM, GOOD or UNSURE: " + cut(line));
        };
        Matcher m = SCORE.matcher(value);
        Double score = null;
        if (m.find()) score = Double.parseDouble(m.group(1));
        return new Crm114Status(kind, Optional.ofNullable(score), line);
    }

    /**
     * {@code exited with 0: <what broke>}: CRM114's scripts exit 0 when they break and
     * print their trouble to standard error under a few lines that only say ERROR.
     */
    static String describe(EngineCommand.Result r) {
        String why = r.stderr().lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.toUpperCase(Locale.ROOT).contains("ERROR")).findFirst().orElse(r.firstError());
        return "exited with " + r.exit() + (why.isEmpty() ? "" : ": " + cut(why));
    }

    private static String cut(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
