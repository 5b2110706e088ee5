package org.decency.detective;

import java.util.Locale;
import org.decency.config.ConfigNode;

/**
 * The seeds' {@code spam:} section: when a mail counts as spam and what happens to it.
 *
 * <pre>{@code
 * spam:
 *   behavior: scoring        # scoring: total <= threshold; strict: any negative total; ignore: never spam
 *   threshold: -50           # required with scoring
 *   handle: tag              # tag, bounce, delete or quarantine
 *   subject_prefix: "SPAM:"  # with tag (the seeds' key: spam_subject_prefix)
 *   noisy_headers: 0         # 1: good mail gets X-Decency-Result: GOOD, its score and details too
 *   notify_recipient: 0      # 1: tell the recipient (with bounce, delete, quarantine)
 *   recipient_template: templates/spam-recipient.txt
 *   recipient_subject: "Spam detected"
 * }</pre>
 */
public record SpamPolicy(Behavior behavior, double threshold, Handle handle, String subjectPrefix, boolean noisyHeaders,
                         Notice recipientNotice) {

    public enum Behavior { SCORING, STRICT, IGNORE }

    public enum Handle { TAG, BOUNCE, DELETE, QUARANTINE }

    public static SpamPolicy none() {
        return new SpamPolicy(Behavior.IGNORE, -100, Handle.TAG, "", false, Notice.OFF);
    }

    public static SpamPolicy read(ConfigNode root) {
        ConfigNode n = root.child("spam").orElse(null);
        if (n == null) return none();
        Behavior behavior = parse(n, "behavior", Behavior.class, Behavior.SCORING);
        double threshold = behavior == Behavior.SCORING ? n.required("threshold").asNumber() : n.number("threshold", -100);
        Handle handle = parse(n, "handle", Handle.class, Handle.TAG);
        String prefix = n.child("subject_prefix", "spam_subject_prefix").map(ConfigNode::text).orElse("");
        boolean noisy = n.bool("noisy_headers", false);
        Notice notice = Notice.read(n, "recipient", "Spam detected");
        if (notice.enabled() && handle == Handle.TAG) {
            throw n.required("notify_recipient").error("a tagged mail reaches the recipient anyway; notify with bounce, delete or quarantine");
        }
        n.finish();
        return new SpamPolicy(behavior, threshold, handle, prefix, noisy, notice);
    }

    static <E extends Enum<E>> E parse(ConfigNode n, String key, Class<E> type, E def) {
        String v = n.string(key, def.name()).strip().toUpperCase(Locale.ROOT);
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException e) {
            StringBuilder known = new StringBuilder();
            for (E c : type.getEnumConstants()) known.append(known.isEmpty() ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
            throw n.required(key).error("expected one of " + known + ", got \"" + n.string(key, "") + "\"");
        }
    }
}
