package org.decency.defender;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.MailAddress;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.message.MailMessage;
import org.decency.message.MessageEdits;
import org.decency.pipeline.DecisionLog;
import org.decency.pipeline.FinalStates;
import org.decency.pipeline.Pipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Doorman's checks at one envelope stage, for the milter and the proxy alike: the
 * transaction they see (as a policy request of Postfix's would be), the run, and what
 * becomes of the verdict. A refusal is the reply to the command; a PREPEND, a HOLD and
 * the score are kept in the {@link DoormanFindings} for the end of the data; a DISCARD
 * drops the message.
 */
final class DoormanStage {
    private static final Logger log = LoggerFactory.getLogger(DoormanStage.class);
    static final String SERVER = "defender";

    /**
     * @param refusal the reply to the command when the Doorman refused it, else null
     * @param discard the Doorman asked to drop the message
     */
    record Result(Transaction tx, Verdict verdict, Replies.Reply refusal, boolean discard, long started) {

        /** The decision log line of a refusal or a DISCARD (a debug line for the rest), with the reply as the protocol wrote it. */
        void log(String answer) {
            if (refusal != null || discard) DecisionLog.log(SERVER, tx, verdict, answer, System.nanoTime() - started);
            else if (log.isDebugEnabled()) log.debug(DecisionLog.line(SERVER, tx, verdict, answer, System.nanoTime() - started));
        }
    }

    private DoormanStage() {}

    /**
     * Runs the Doorman's checks on {@code tx} and keeps what counts later in {@code kept}.
     *
     * @param discardable a DISCARD can be honoured here (a milter can discard a message only, from MAIL on)
     * @param deferCode   the code a DEFER is answered with
     */
    static Result run(Pipeline doorman, Transaction tx, DoormanFindings kept, boolean discardable, int deferCode) {
        long t0 = System.nanoTime();
        Verdict v = doorman.run(tx);
        doorman.finalState(FinalStates.of(v)); // as the Doorman's policy server counts each answer
        Replies.Reply refusal = Replies.envelope(v, deferCode);
        if (refusal != null) return new Result(tx, v, refusal, false, t0);
        boolean discard = false;
        switch (v.action()) {
            case DISCARD -> {
                if (discardable) {
                    discard = true;
                    kept.droppedBy = v.text().isEmpty() ? "dropped by " + v.decidedBy() : v.text();
                } else {
                    log.warn("defender id={}: {} asked to discard at {}; a milter can discard a message only, from MAIL on",
                            tx.id(), v.decidedBy(), tx.stage());
                }
            }
            case HOLD -> kept.heldBy = v.text().isEmpty() ? "held by " + v.decidedBy() : v.text();
            case PREPEND -> {
                MessageEdits.Field f = field(v.text());
                if (f != null) kept.prepends.add(f);
                else log.warn("defender id={}: {} asked to prepend \"{}\", which is no header field; left out", tx.id(), v.decidedBy(), v.text());
            }
            case FILTER, REDIRECT -> log.warn("defender id={}: {} answered {}, which the Defender cannot do; ignored", tx.id(),
                    v.decidedBy(), v.action());
            default -> { }
        }
        kept.consider(tx.stage(), v);
        return new Result(tx, v, null, discard, t0);
    }

    /** {@code Name: value} from a PREPEND, or null. */
    static MessageEdits.Field field(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) return null;
        String name = text.substring(0, colon).strip();
        if (!name.matches("[\\x21-\\x39\\x3b-\\x7e]+")) return null;
        return new MessageEdits.Field(name, text.substring(colon + 1).strip());
    }

    /**
     * The transaction of one stage with the attributes a policy request of Postfix's has.
     *
     * @param id         the message's id from MAIL on, else the connection's
     * @param instance   the message's id (empty before MAIL)
     * @param recipient  the recipient of a RCPT stage (checked without its extension), else null
     * @param recipients the message's recipients so far (at the end of the data: all of them)
     * @param mail       the mail at the end of the data, else null
     */
    static Transaction transaction(String id, Stage stage, Connection c, MailAddress sender, String recipient,
                                   List<MailAddress> recipients, long size, String queueId, String instance,
                                   String recipientDelimiter, MailMessage mail) {
        List<MailAddress> rcpts = recipient != null ? List.of(MailAddress.parse(recipient).withoutExtension(recipientDelimiter))
                : recipients;
        int count = recipient == null && stage == Stage.MESSAGE ? rcpts.size() : 0;
        Envelope e = new Envelope(sender, rcpts, size, count, queueId, instance);
        Map<String, String> a = new LinkedHashMap<>();
        a.put("protocol_state", stage == Stage.MESSAGE ? "END-OF-MESSAGE" : stage.name());
        a.put("client_address", c.clientAddress());
        a.put("client_name", c.clientName());
        a.put("helo_name", c.helo());
        a.put("sender", sender.raw());
        if (recipient != null) a.put("recipient", MailAddress.parse(recipient).raw());
        a.put("queue_id", queueId);
        a.put("instance", instance);
        a.put("sasl_username", c.saslUsername());
        return new Transaction(id, stage, c, e, a, mail);
    }
}
