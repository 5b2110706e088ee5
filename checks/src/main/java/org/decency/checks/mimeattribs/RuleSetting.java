package org.decency.checks.mimeattribs;

import java.util.Locale;
import org.decency.checks.support.ByteSizes;
import org.decency.config.ConfigNode;
import org.decency.core.Action;
import org.decency.core.FinalWord;

/**
 * How one rule counts: its score (0 with {@code action: score} turns the rule off), what
 * a finding does besides scoring, the text for the sender or the quarantine, and the
 * limit of a counting rule. Written as a number ({@code bad_extension: -80}) or as a
 * mapping ({@code bad_extension: {score: -80, action: reject, message: "..."}}).
 *
 * @param message empty: a text made from the findings
 * @param max     the limit of a counting rule (parts, depth, bytes), else 0
 */
record RuleSetting(double score, Verb action, String message, long max) {

    /** What a finding does besides adding its score. */
    enum Verb {
        /** only the score */
        SCORE,
        /** the mail is refused (the Detective bounces it) */
        REJECT,
        /** the mail is held in the spool's quarantine */
        QUARANTINE
    }

    boolean enabled() {
        return score != 0 || action != Verb.SCORE;
    }

    /** The run's end for a finding of this rule, or null when it only scores. */
    FinalWord finalWord(String text) {
        return switch (action) {
            case SCORE -> null;
            case REJECT -> FinalWord.reject(text);
            case QUARANTINE -> new FinalWord(Action.HOLD, text);
        };
    }

    static RuleSetting defaults(MimeRule rule) {
        return new RuleSetting(rule.defaultScore, Verb.SCORE, "", rule.defaultMax);
    }

    static RuleSetting read(MimeRule rule, ConfigNode n) {
        RuleSetting d = defaults(rule);
        if (!n.isMapping()) return new RuleSetting(score(n), d.action, d.message, d.max);
        double score = n.child("score").map(RuleSetting::score).orElse(d.score);
        Verb action = n.child("action").map(RuleSetting::verb).orElse(d.action);
        String message = n.string("message", "");
        if (message.contains("\n") || message.contains("\r")) throw n.required("message").error("must be one line");
        long max = d.max;
        if (rule.hasLimit()) {
            ConfigNode maxNode = n.child("max").orElse(null);
            if (maxNode != null) {
                max = rule == MimeRule.TOO_LARGE ? ByteSizes.parse(maxNode) : maxNode.asInt();
                if (max <= 0) throw maxNode.error("must be more than 0");
            }
        }
        n.finish();
        return new RuleSetting(score, action, message, max);
    }

    private static double score(ConfigNode n) {
        double s = n.asNumber();
        if (s > 0) throw n.error("must be 0 (off) or negative: negative scores count as spam, got " + n.text());
        return s;
    }

    private static Verb verb(ConfigNode n) {
        return switch (n.text().strip().toLowerCase(Locale.ROOT)) {
            case "score" -> Verb.SCORE;
            case "reject" -> Verb.REJECT;
            case "quarantine", "hold" -> Verb.QUARANTINE;
            default -> throw n.error("expected score, reject or quarantine, got \"" + n.text() + "\"");
        };
    }
}
