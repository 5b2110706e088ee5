package org.decency.defender;

import org.decency.core.Verdict;
import org.decency.defender.milter.MilterReply;
import org.decency.detective.Decision;
import org.decency.detective.smtp.SmtpReply;

/**
 * The SMTP replies the Defender gives, as a milter or as a before-queue proxy: the
 * Doorman's refusals at the envelope stages, as Postfix would give them for a policy
 * server (REJECT: 554 5.7.1, DEFER and DEFER_IF_PERMIT: 4xx 4.7.1, a check's literal
 * 4xx/5xx as it is), and the Detective's at the end of the data. Each is worked out once
 * and written as the protocol wants it ({@link Reply#milter()}, {@link Reply#smtp()}).
 */
final class Replies {
    /** Longest text of a reply line sent over SMTP (RFC 5321 allows 512 bytes with the code and CRLF). */
    private static final int MAX_SMTP_TEXT = 400;

    private Replies() {}

    /** One 4xx or 5xx reply: code, enhanced status code (may be empty) and one line of text. */
    record Reply(int code, String status, String text) {

        /** As a milter reply ({@code SMFIR_REPLYCODE}): cleaned, {@code %} doubled, the status made to fit the code. */
        MilterReply.ReplyCode milter() {
            return MilterReply.reply(code, status, text);
        }

        /** As the reply of the proxy's SMTP server: one line of printable text, the status made to fit the code. */
        SmtpReply smtp() {
            char cls = (char) ('0' + code / 100);
            String st = status == null ? "" : status.strip();
            if (!st.matches("[245]\\.\\d{1,3}\\.\\d{1,3}") || st.charAt(0) != cls) st = cls + ".7.1";
            StringBuilder b = new StringBuilder();
            String t = text == null ? "" : text;
            for (int i = 0; i < t.length() && b.length() < MAX_SMTP_TEXT; i++) {
                char c = t.charAt(i);
                b.append(c == '\t' ? ' ' : c < 0x20 || c > 0x7e ? '?' : c);
            }
            String clean = b.toString().strip();
            return SmtpReply.of(code, st, clean.isEmpty() ? (code >= 500 ? "Refused" : "Try again later") : clean);
        }
    }

    /**
     * The refusal for a Doorman verdict, or null when it lets the client go on.
     *
     * @param deferCode the code of a DEFER (451 through a milter, as Postfix's tempfail; 450 from the proxy, as
     *                  Postfix's access_map_defer_code)
     */
    static Reply envelope(Verdict v, int deferCode) {
        String text = oneLine(v.text());
        return switch (v.action()) {
            case REJECT -> new Reply(554, "5.7.1", text);
            case DEFER, DEFER_IF_PERMIT -> new Reply(deferCode, "4.7.1", text);
            case REPLY -> {
                Reply r = parse(text);
                yield r != null ? r : new Reply(554, "5.7.1", text);
            }
            default -> null;
        };
    }

    /**
     * A configured reply ({@code detective_spam_reply}): {@code 554 5.7.1} and the text, or
     * the text as it is when it starts with a code of its own ({@code 550 5.7.0 No spam here}).
     */
    static Reply configured(String reply) {
        Reply own = parse(reply);
        return own != null ? own : new Reply(554, "5.7.1", oneLine(reply));
    }

    /** The refusal at the end of the data: the configured reply for spam and for a virus, else the check's own. */
    static Reply bounce(Decision d, DefenderSettings settings) {
        return switch (d.kind()) {
            case "spam" -> configured(settings.spamReply());
            case "virus" -> configured(settings.virusReply());
            default -> refusal(d);
        };
    }

    /** A check's own refusal at the end of the data: its literal reply, or 554 5.7.1 with its text. */
    static Reply refusal(Decision d) {
        String reason = oneLine(d.reason());
        Reply own = parse(reason);
        return own != null && own.code() >= 500 ? own : new Reply(554, "5.7.1", reason);
    }

    /** A check could not decide now (its engine is down): the MTA tells the client to try again. */
    static Reply tempfail(Decision d) {
        String reason = oneLine(d.reason());
        Reply own = parse(reason);
        if (own != null && own.code() < 500) return own;
        return new Reply(451, "4.3.0", reason.isEmpty() ? "Try again later" : reason);
    }

    /** A literal reply {@code "450 4.7.1 text"} or {@code "554 text"} as checks give them; null when it is none. */
    static Reply parse(String literal) {
        if (literal == null || !literal.matches("(?s)[45]\\d\\d([ -].*)?")) return null;
        int code = Integer.parseInt(literal.substring(0, 3));
        String rest = literal.length() > 4 ? oneLine(literal.substring(4)) : "";
        String status = "";
        int sp = rest.indexOf(' ');
        String first = sp < 0 ? rest : rest.substring(0, sp);
        if (first.matches("[245]\\.\\d{1,3}\\.\\d{1,3}")) {
            status = first;
            rest = sp < 0 ? "" : rest.substring(sp + 1).strip();
        }
        return new Reply(code, status, rest);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n]+", " ").strip();
    }
}
