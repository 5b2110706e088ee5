package org.decency.detective;

import java.util.Locale;
import org.decency.core.Action;
import org.decency.core.Verdict;

/**
 * What becomes of a checked mail, from the verdict and the spam and virus policies:
 * delivered as it is, delivered tagged as spam, bounced (the sending MTA gets a 5xx and
 * writes the DSN), deleted (250, not delivered), quarantined (250, kept in the spool) or
 * deferred (4xx: a check could not decide now, e.g. its engine is down; the sending MTA
 * keeps the mail and tries again).
 *
 * @param kind   good, spam, virus, policy (a check's own refusal), drop (a check dropped it) or tempfail
 * @param reason for the log and the bounce text
 */
public record Decision(Fate fate, String kind, String reason, String virus) {

    public enum Fate { DELIVER, TAG, BOUNCE, DELETE, QUARANTINE, TEMPFAIL }

    static final String VIRUS_FLAG = "virus=";

    public static Decision of(Verdict v, SpamPolicy spam, VirusPolicy virus) {
        String found = v.flags().stream().filter(f -> f.startsWith(VIRUS_FLAG)).map(f -> f.substring(VIRUS_FLAG.length()))
                .sorted().findFirst().orElse(null);
        if (found != null) {
            Fate fate = switch (virus.handle()) {
                case BOUNCE -> Fate.BOUNCE;
                case DELETE -> Fate.DELETE;
                case QUARANTINE -> Fate.QUARANTINE;
                case IGNORE -> Fate.DELIVER;
            };
            return new Decision(fate, "virus", "Virus found: " + found, found);
        }
        if (deferred(v)) return new Decision(Fate.TEMPFAIL, "tempfail", v.text().isEmpty() ? "deferred by " + v.decidedBy() : v.text(), null);
        if (v.action() == Action.DISCARD) return new Decision(Fate.DELETE, "drop", "dropped by " + v.decidedBy(), null);
        if (v.action() == Action.HOLD) return new Decision(Fate.QUARANTINE, "policy", held(v), null);
        boolean refusedByCheck = (v.action() == Action.REJECT || v.action() == Action.REPLY) && !v.decidedBy().isEmpty();
        if (refusedByCheck) return new Decision(Fate.BOUNCE, "policy", v.text().isEmpty() ? "rejected by " + v.decidedBy() : v.text(), null);
        boolean isSpam = switch (spam.behavior()) {
            case SCORING -> v.total() <= spam.threshold();
            case STRICT -> v.total() < 0;
            case IGNORE -> false;
        };
        if (!isSpam) return new Decision(Fate.DELIVER, "good", "", null);
        Fate fate = switch (spam.handle()) {
            case TAG -> Fate.TAG;
            case BOUNCE -> Fate.BOUNCE;
            case DELETE -> Fate.DELETE;
            case QUARANTINE -> Fate.QUARANTINE;
        };
        return new Decision(fate, "spam", "Spam (score " + org.decency.core.Scores.format(v.total()) + ")", null);
    }

    private static boolean deferred(Verdict v) {
        return v.action() == Action.DEFER || v.action() == Action.DEFER_IF_PERMIT
                || (v.action() == Action.REPLY && v.text().startsWith("4"));
    }

    private static String held(Verdict v) {
        return v.text().isEmpty() ? "held by " + v.decidedBy() : v.text();
    }

    /** {@code deliver/good}, {@code tag/spam}, {@code bounce/policy}, ...: for logs and {@code decency check-message}. */
    public String label() {
        return fate.name().toLowerCase(Locale.ROOT) + "/" + kind;
    }
}
