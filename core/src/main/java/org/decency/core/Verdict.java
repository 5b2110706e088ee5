package org.decency.core;

import java.util.List;
import java.util.Set;
import org.decency.message.MessageEdits;

/**
 * The answer of one pipeline run: the action with its text, the total and every
 * partial score, the flags, which module decided (empty when the threshold or
 * the default decided), and the edits of the mail the checks asked for.
 */
public record Verdict(Action action, String text, double total, double threshold, List<Score> scores,
                      Set<String> flags, String decidedBy, MessageEdits edits) {

    public Verdict {
        text = text == null ? "" : text;
        scores = List.copyOf(scores);
        flags = Set.copyOf(flags);
        decidedBy = decidedBy == null ? "" : decidedBy;
        edits = edits == null ? new MessageEdits() : edits;
    }

    public Verdict(Action action, String text, double total, double threshold, List<Score> scores,
                   Set<String> flags, String decidedBy) {
        this(action, text, total, threshold, scores, flags, decidedBy, null);
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
