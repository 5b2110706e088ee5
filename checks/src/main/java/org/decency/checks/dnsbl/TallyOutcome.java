package org.decency.checks.dnsbl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.decency.core.FinalWord;
import org.decency.core.Outcome;
import org.decency.core.Score;

/**
 * Turns a {@link Tally} into the check's outcome: a score per hit ({@code <module>_<name>})
 * and per miss with a miss weight ({@code <module>_NOT_<name>}), in the order of the lists;
 * {@code <module>=0} with a summary when nothing scored or some list failed; the seeds'
 * message "Blacklisted on: z1, z2" for the lists with spam hits, and a REJECT with that
 * text when a harsh list or a limit decided.
 */
final class TallyOutcome {
    static final String PREFIX = "Blacklisted on: ";

    private TallyOutcome() {}

    static Outcome of(String check, List<Blocklist> lists, Tally tally, boolean rejectNow, Map<Integer, String> reasons) {
        List<Score> scores = new ArrayList<>();
        List<String> spam = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int clean = 0;
        for (int i = 0; i < lists.size(); i++) {
            Blocklist l = lists.get(i);
            if (tally.listed(i)) {
                Listing hit = tally.hit(i);
                String about = tally.hitAbout(i);
                scores.add(new Score(l.hitCode(check), hit.weight(),
                        "listed on " + l.zone() + " (" + String.join(", ", hit.codes()) + (about.isEmpty() ? "" : "; " + about) + ")"));
                if (hit.weight() < 0) spam.add(l.zone() + parenthesized(about, reasons.getOrDefault(i, "")));
            } else if (tally.clean(i)) {
                clean++;
                if (l.missWeight() != 0) scores.add(new Score(l.missCode(check), l.missWeight(), "not listed on " + l.zone()));
            } else if (tally.skipped(i)) {
                notes.add(l.zone() + " skipped after errors");
            } else if (tally.failed(i)) {
                notes.add(l.zone() + ": " + tally.errors(i));
            }
        }
        if (scores.isEmpty() || !notes.isEmpty()) scores.add(new Score(check, 0, summary(clean, notes)));
        String message = spam.isEmpty() ? "" : PREFIX + String.join(", ", spam);
        FinalWord word = rejectNow && !spam.isEmpty() ? FinalWord.reject(message) : null;
        Outcome o = new Outcome(scores, message, List.of(), word);
        // A list that failed, rests after errors or was cut short (the run had decided
        // already) leaves the outcome incomplete: the result cache must not keep it.
        boolean complete = notes.isEmpty();
        for (int i = 0; i < lists.size() && complete; i++) complete = !tally.unfinished(i);
        return complete ? o : o.asTemporary();
    }

    private static String parenthesized(String about, String reason) {
        if (about.isEmpty() && reason.isEmpty()) return "";
        if (about.isEmpty() || reason.isEmpty()) return " (" + about + reason + ")";
        return " (" + about + "; " + reason + ")";
    }

    private static String summary(int clean, List<String> notes) {
        List<String> parts = new ArrayList<>();
        if (clean > 0) parts.add("not listed on " + clean + (clean == 1 ? " list" : " lists"));
        parts.addAll(notes);
        return parts.isEmpty() ? "no list asked" : String.join("; ", parts);
    }
}
