package org.decency.pipeline;

import org.decency.core.Action;
import org.decency.core.Verdict;

/**
 * The final states of the front doors that answer per SMTP command (the Doorman, the
 * milter): what became of the mail, in a few words that statistics and metrics count.
 * The Detective counts its own decisions instead ({@code deliver/good}, {@code tag/spam}, ...).
 */
public final class FinalStates {
    /** A check said OK: the mail is accepted without further checks. */
    public static final String ACCEPT = "accept";
    /** No final word and below the threshold: the mail goes on (DUNNO, PREPEND). */
    public static final String PASS = "pass";
    /** Refused for good (REJECT, a 5xx reply). */
    public static final String REJECT = "reject";
    /** Postponed (DEFER, DEFER_IF_PERMIT, a 4xx reply: greylisting, throttling, a failing engine). */
    public static final String DEFER = "defer";

    private FinalStates() {}

    /** The final state of a verdict: one of the constants, or the action's name in lower case (hold, discard, ...). */
    public static String of(Verdict v) {
        Action a = v.action();
        return switch (a) {
            case OK -> ACCEPT;
            case DUNNO, PREPEND, WARN -> PASS;
            case REJECT -> REJECT;
            case DEFER, DEFER_IF_PERMIT, DEFER_IF_REJECT -> DEFER;
            case REPLY -> v.text().startsWith("4") ? DEFER : REJECT;
            default -> a.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The status under which a verdict counts in {@code module_results}: the action, a literal reply by its code (450, 554). */
    public static String status(Verdict v) {
        return v.action() == Action.REPLY && v.text().length() >= 3 ? v.text().substring(0, 3) : v.action().name();
    }
}
