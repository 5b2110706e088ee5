package org.decency.doorman;

import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.forward.InstanceHeader;

/**
 * Renders a {@link Verdict} as the text after {@code action=}. A run that ended
 * without a final word answers {@code PREPEND X-Decency-Instance: ...} carrying the
 * score, flags and details for the Detective (plain {@code DUNNO} with
 * {@code disable_prepend}), signed when {@code forward_scoring} has a key. Texts are stripped of line breaks and control bytes so a
 * check can never break the protocol.
 */
final class PolicyReply {
    private static final int MAX_TEXT = 900;

    private final boolean disablePrepend;
    private final ScoreForwarder forwarder;

    PolicyReply(boolean disablePrepend, ScoreForwarder forwarder) {
        this.disablePrepend = disablePrepend;
        this.forwarder = forwarder;
    }

    PolicyReply(boolean disablePrepend) {
        this(disablePrepend, ScoreForwarder.unsigned());
    }

    String render(Transaction tx, Verdict v, long epochSecond) {
        String text = clean(v.text());
        return switch (v.action()) {
            case OK -> "OK";
            case DUNNO -> disablePrepend || ScoreForwarder.unchecked(v) ? "DUNNO" : "PREPEND " + instanceHeader(tx, v, epochSecond);
            case PREPEND -> text.isEmpty() ? "PREPEND " + instanceHeader(tx, v, epochSecond) : "PREPEND " + text;
            case REPLY -> text;
            default -> text.isEmpty() ? v.action().name() : v.action().name() + " " + text;
        };
    }

    /** {@code X-Decency-Instance: <value>}, signed when score forwarding has a key (see {@link InstanceHeader}). */
    private String instanceHeader(Transaction tx, Verdict v, long epochSecond) {
        return InstanceHeader.NAME + ": " + forwarder.header(tx, v, epochSecond).value();
    }

    static String clean(String s) {
        if (s == null || s.isEmpty()) return "";
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_TEXT));
        for (int i = 0; i < s.length() && b.length() < MAX_TEXT; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return b.toString().strip();
    }
}
