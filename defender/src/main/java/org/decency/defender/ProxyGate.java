package org.decency.defender;

import java.util.List;
import java.util.Set;
import org.decency.core.Action;
import org.decency.core.Connection;
import org.decency.core.Identifiers;
import org.decency.core.MailAddress;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.detective.Decision;
import org.decency.detective.MailHandler;
import org.decency.detective.smtp.EnvelopeGate;
import org.decency.detective.smtp.SmtpReply;

/**
 * The Doorman's checks of the before-queue proxy, asked by the SMTP session while Postfix's
 * smtpd hands the envelope over. Postfix connects to the proxy when its client says MAIL
 * FROM and tells it the client through XFORWARD (address, name, HELO), so the stages of
 * {@code doorman.stages} before RCPT (connect, helo, mail) are asked at MAIL FROM, in that
 * order, and a refusal there is the reply to MAIL FROM; RCPT is asked for each recipient
 * and a refusal refuses that one. Postfix passes each reply on to its client.
 *
 * <p>What the Doorman found goes with the transaction to the end of the DATA
 * ({@link MailHandler.Screened}): its score before the Detective's checks, its PREPENDs
 * on top of the mail, a HOLD (quarantine), a DISCARD (accepted, not passed on).
 */
final class ProxyGate implements EnvelopeGate {
    /** A DEFER at the envelope: 450, as Postfix answers a policy server's DEFER (access_map_defer_code). */
    static final int DEFER_CODE = 450;

    private final Defender defender;
    private final DefenderSettings settings;

    ProxyGate(Defender defender) {
        this.defender = defender;
        this.settings = defender.settings();
    }

    @Override
    public Screening begin(EnvelopeFacts facts) {
        return new MailTransaction(facts);
    }

    /** One mail transaction, from MAIL FROM to the end of its DATA. */
    private final class MailTransaction implements Screening, MailHandler.Screened {
        private final String id = Identifiers.next();
        private final DoormanFindings kept = new DoormanFindings();
        private final Connection connection;
        private final MailAddress sender;
        private final long size;
        private final SmtpReply mailRefusal;

        MailTransaction(EnvelopeFacts facts) {
            String name = facts.clientName();
            // Postfix says "unknown" for a client without a verified name, as to a policy server
            if (name.isEmpty()) name = "unknown";
            this.connection = new Connection(facts.clientAddress(), name, name, facts.clientHelo(), facts.xforward().getOrDefault(
                    "PROTO", ""), "", "", "", "", "", "", "", "");
            this.sender = MailAddress.parse(facts.sender());
            this.size = size(facts.senderParams());
            SmtpReply refused = null;
            for (Stage st : List.of(Stage.CONNECT, Stage.HELO, Stage.MAIL)) {
                refused = ask(st, null);
                if (refused != null) break;
            }
            this.mailRefusal = refused;
        }

        @Override
        public SmtpReply mail() {
            return mailRefusal;
        }

        @Override
        public SmtpReply rcpt(String address, String params) {
            return ask(Stage.RCPT, address);
        }

        /** The Doorman at one stage, when {@code doorman.stages} names it: the refusal, or null to go on. */
        private SmtpReply ask(Stage stage, String recipient) {
            if (!settings.doormanStages().contains(stage)) return null;
            Transaction tx = DoormanStage.transaction(id, stage, connection, sender, recipient, List.of(), size,
                    "", id, defender.doorman().settings().recipientDelimiter(), null);
            DoormanStage.Result r = DoormanStage.run(defender.doorman(), tx, kept, true, DEFER_CODE);
            if (r.refusal() != null) {
                SmtpReply reply = r.refusal().smtp();
                r.log(reply.render());
                return reply;
            }
            r.log(r.discard() ? "continue (dropped at the end of DATA)"
                    : r.verdict().action() == Action.HOLD ? "continue (held)" : "continue");
            return null;
        }

        /** The Doorman's PREPENDs, in their order, on top of the mail (above Postfix's own Received: field). */
        @Override
        public List<String> headers() {
            return kept.prepends.stream().map(f -> f.name() + ": " + f.value()).toList();
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Outcome prior() {
            return kept.outcome();
        }

        @Override
        public Decision decided() {
            return kept.droppedBy == null ? null : new Decision(Decision.Fate.DELETE, "drop", kept.droppedBy, null);
        }

        /** A HOLD of the Doorman's quarantines the mail that would have gone on; a refusal or a drop stays as it is. */
        @Override
        public Decision adjust(Decision d) {
            if (kept.heldBy == null || !Set.of(Decision.Fate.DELIVER, Decision.Fate.TAG).contains(d.fate())) return d;
            return new Decision(Decision.Fate.QUARANTINE, d.kind(), kept.heldBy, d.virus());
        }

        /** Spam and viruses with their configured replies; a check's own literal 5xx as it is. */
        @Override
        public SmtpReply refusal(Decision d) {
            if (d.kind().equals("spam") || d.kind().equals("virus")) return Replies.bounce(d, settings).smtp();
            Replies.Reply own = Replies.parse(d.reason());
            return own != null && own.code() >= 500 ? own.smtp() : null;
        }
    }

    /** The SIZE= of MAIL FROM, 0 without one. */
    private static long size(String params) {
        for (String p : params.split("\\s+")) {
            if (p.regionMatches(true, 0, "SIZE=", 0, 5)) {
                try {
                    return Math.max(0, Long.parseLong(p.substring(5).strip()));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
