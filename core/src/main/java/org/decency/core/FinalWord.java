package org.decency.core;

import java.util.Objects;

/**
 * A check's request to end the run with a given action: CWL says OK, CBL says REJECT,
 * Greylist says DEFER_IF_PERMIT, Throttle says DEFER or a literal 4xx/5xx reply.
 */
public record FinalWord(Action action, String text) {
    public FinalWord {
        Objects.requireNonNull(action);
        text = text == null ? "" : text;
        if (action == Action.REPLY && !text.matches("[45]\\d\\d( .*)?")) {
            throw new IllegalArgumentException("a REPLY needs a 4xx or 5xx code first, got: " + text);
        }
    }

    public static FinalWord ok(String text) {
        return new FinalWord(Action.OK, text);
    }

    public static FinalWord reject(String text) {
        return new FinalWord(Action.REJECT, text);
    }

    public static FinalWord deferIfPermit(String text) {
        return new FinalWord(Action.DEFER_IF_PERMIT, text);
    }

    /** A literal reply {@code "450 4.7.1 text"} or an action name; used for configurable answers. */
    public static FinalWord parse(String spec, String text) {
        String s = spec.strip();
        if (s.matches("[45]\\d\\d")) return new FinalWord(Action.REPLY, s + (text.isEmpty() ? "" : " " + text));
        return new FinalWord(Action.valueOf(s.toUpperCase(java.util.Locale.ROOT)), text);
    }
}
