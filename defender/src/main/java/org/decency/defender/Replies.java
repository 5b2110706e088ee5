package org.decency.defender;

import org.decency.core.Verdict;
import org.decency.defender.milter.MilterReply;
import org.decency.detective.Decision;

/**
 * The SMTP replies the Defender gives through the milter: the Doorman's refusals at the
 * envelope stages, as Postfix would give them for a policy server (REJECT: 554 5.7.1,
 * DEFER and DEFER_IF_PERMIT: 451 4.7.1, a check's literal 4xx/5xx as it is), and the
 * Detective's at the end of the data.
 */
final class Replies {
    private Replies() {}

    /** The refusal for a Doorman verdict, or null when it lets the client go on. */
    static MilterReply.ReplyCode envelope(Verdict v) {
        String text = v.text().replaceAll("[\\r\\n]+", " ").strip();
        return switch (v.action()) {
            case REJECT -> MilterReply.reply(554, "5.7.1", text);
            case DEFER, DEFER_IF_PERMIT -> MilterReply.reply(451, "4.7.1", text);
            case REPLY -> {
                MilterReply.ReplyCode r = MilterReply.parse(text);
                yield r != null ? r : MilterReply.reply(554, "5.7.1", text);
            }
            default -> null;
        };
    }

    /**
     * A configured reply ({@code detective_spam_reply}): {@code 554 5.7.1} and the text, or
     * the text as it is when it starts with a code of its own ({@code 550 5.7.0 No spam here}).
     */
    static MilterReply.ReplyCode configured(String reply) {
        MilterReply.ReplyCode own = MilterReply.parse(reply);
        return own != null ? own : MilterReply.reply(554, "5.7.1", reply);
    }

    /** A check's own refusal at the end of the data: its literal reply, or 554 5.7.1 with its text. */
    static MilterReply.ReplyCode refusal(Decision d) {
        String reason = d.reason().replaceAll("[\\r\\n]+", " ").strip();
        MilterReply.ReplyCode own = MilterReply.parse(reason);
        return own != null && own.smtpCode() >= 500 ? own : MilterReply.reply(554, "5.7.1", reason);
    }

    /** A check could not decide now (its engine is down): the MTA tells the client to try again. */
    static MilterReply.ReplyCode tempfail(Decision d) {
        String reason = d.reason().replaceAll("[\\r\\n]+", " ").strip();
        MilterReply.ReplyCode own = MilterReply.parse(reason);
        if (own != null && own.smtpCode() < 500) return own;
        return MilterReply.reply(451, "4.3.0", reason.isEmpty() ? "Try again later" : reason);
    }
}
