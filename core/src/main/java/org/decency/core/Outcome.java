package org.decency.core;

import java.util.List;

/**
 * What one check found: zero or more partial scores, an optional message for the
 * sender (joined into the reject text), flags for later checks and servers, and an
 * optional final word that ends the run.
 *
 * @param temporary the outcome rests on a passing failure (a DNS timeout, a SERVFAIL):
 *                  it counts for this decision, but the result cache must not keep it
 */
public record Outcome(List<Score> scores, String message, List<String> flags, FinalWord finalWord, boolean temporary) {

    private static final Outcome NOTHING = new Outcome(List.of(), "", List.of(), null);

    public Outcome {
        scores = List.copyOf(scores);
        message = message == null ? "" : message;
        flags = List.copyOf(flags);
    }

    public Outcome(List<Score> scores, String message, List<String> flags, FinalWord finalWord) {
        this(scores, message, flags, finalWord, false);
    }

    /** The check had nothing to say. */
    public static Outcome nothing() {
        return NOTHING;
    }

    public static Outcome score(String code, double delta, String detail) {
        return new Outcome(List.of(new Score(code, delta, detail)), "", List.of(), null);
    }

    public static Outcome scores(List<Score> scores) {
        return new Outcome(scores, "", List.of(), null);
    }

    public static Outcome finalWord(String code, FinalWord word, String detail) {
        return new Outcome(List.of(new Score(code, 0, detail)), "", List.of(), word);
    }

    public Outcome withMessage(String m) {
        return new Outcome(scores, m, flags, finalWord, temporary);
    }

    /** The same outcome, marked as resting on a passing failure (see {@link #temporary()}). */
    public Outcome asTemporary() {
        return new Outcome(scores, message, flags, finalWord, true);
    }

    /** The same outcome with other scores. */
    public Outcome withScores(List<Score> s) {
        return new Outcome(s, message, flags, finalWord, temporary);
    }

    public Outcome withFlag(String flag) {
        var f = new java.util.ArrayList<>(flags);
        f.add(flag);
        return new Outcome(scores, message, f, finalWord, temporary);
    }

    public Outcome withFinalWord(FinalWord w) {
        return new Outcome(scores, message, flags, w, temporary);
    }

    public double total() {
        double t = 0;
        for (Score s : scores) t += s.delta();
        return t;
    }
}
