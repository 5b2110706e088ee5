package org.decency.doorman;

import java.util.StringJoiner;
import org.decency.core.Score;
import org.decency.core.Scores;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.pipeline.Pipeline;

/**
 * Renders a {@link Verdict} as the text after {@code action=}. A run that ended
 * without a final word answers {@code PREPEND X-Decency-Instance: ...} carrying the
 * score, flags and details for the Detective (plain {@code DUNNO} with
 * {@code disable_prepend}). Texts are stripped of line breaks and control bytes so a
 * check can never break the protocol.
 */
final class PolicyReply {
    static final String INSTANCE_HEADER = "X-Decency-Instance";
    private static final int MAX_TEXT = 900;

    private final boolean disablePrepend;

    PolicyReply(boolean disablePrepend) {
        this.disablePrepend = disablePrepend;
    }

    String render(Transaction tx, Verdict v, long epochSecond) {
        String text = clean(v.text());
        return switch (v.action()) {
            case OK -> "OK";
            case DUNNO -> {
                boolean unchecked = v.decidedBy().equals(Pipeline.UNCHECKED_LOCAL) || v.decidedBy().equals(Pipeline.UNCHECKED_IGNORED);
                yield disablePrepend || unchecked ? "DUNNO" : "PREPEND " + instanceHeader(tx, v, epochSecond);
            }
            case PREPEND -> text.isEmpty() ? "PREPEND " + instanceHeader(tx, v, epochSecond) : "PREPEND " + text;
            case REPLY -> text;
            default -> text.isEmpty() ? v.action().name() : v.action().name() + " " + text;
        };
    }

    /**
     * The seeds' layout: {@code <id>|<sig>|<score>|<epoch>|<flags>|<detail>|...}. Signing
     * comes with score forwarding; until then the signature field says {@code unsigned}.
     */
    static String instanceHeader(Transaction tx, Verdict v, long epochSecond) {
        StringJoiner j = new StringJoiner("|");
        j.add(tx.id()).add("unsigned").add(Scores.format(v.total())).add(Long.toString(epochSecond))
                .add(String.join(",", new java.util.TreeSet<>(v.flags())));
        for (Score s : v.scores()) {
            String detail = "Module: " + s.code() + "; Score: " + Scores.format(s.delta()) + (s.detail().isEmpty() ? "" : "; " + s.detail());
            j.add(clean(detail).replace('|', '/'));
        }
        String value = j.toString();
        return INSTANCE_HEADER + ": " + (value.length() > MAX_TEXT ? value.substring(0, MAX_TEXT) : value);
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
