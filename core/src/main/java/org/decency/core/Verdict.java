package org.decency.core;

import java.util.List;
import java.util.Set;

/**
 * The answer of one pipeline run: the action with its text, the total and every
 * partial score, the flags, and which module decided (empty when the threshold or
 * the default decided).
 */
public record Verdict(Action action, String text, double total, double threshold, List<Score> scores,
                      Set<String> flags, String decidedBy) {

    public Verdict {
        text = text == null ? "" : text;
        scores = List.copyOf(scores);
        flags = Set.copyOf(flags);
        decidedBy = decidedBy == null ? "" : decidedBy;
    }

    public static Verdict of(Action action, String text) {
        return new Verdict(action, text, 0, 0, List.of(), Set.of(), "");
    }

    /** {@code CWL=0 CBL=-100 ...}: every partial score. */
    public String briefScores() {
        StringBuilder b = new StringBuilder();
        for (Score s : scores) {
            if (!b.isEmpty()) b.append(' ');
            b.append(s.brief());
        }
        return b.toString();
    }
}
