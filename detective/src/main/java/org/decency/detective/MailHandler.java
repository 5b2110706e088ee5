package org.decency.detective;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.Identifiers;
import org.decency.core.MailAddress;
import org.decency.core.Outcome;
import org.decency.core.Scores;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.detective.reinject.Reinjector;
import org.decency.detective.smtp.MailSink;
import org.decency.detective.smtp.SmtpReply;
import org.decency.detective.spool.Spool;
import org.decency.detective.spool.SpoolEntry;
import org.decency.detective.spool.SpooledEnvelope;
import org.decency.mail.MimeLimits;
import org.decency.mail.SpooledMessage;
import org.decency.message.MessageEdits;
import org.decency.pipeline.DecisionLog;
import org.decency.pipeline.Pipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides about one spooled mail and carries the decision out before the sending MTA
 * hears anything: runs the pipeline over it (after the Doorman's score, where accepted),
 * then delivers it (tagged or not) to the reinjection targets, bounces it (a 5xx: the
 * sending MTA writes the DSN), deletes it or quarantines it, sends the configured
 * notices, and answers. If passing it on fails, the answer is a 4xx and the sending MTA
 * keeps the mail; nothing is acknowledged that is not delivered or deliberately handled.
 */
public final class MailHandler implements MailSink {
    private static final Logger log = LoggerFactory.getLogger(MailHandler.class);
    private static final Pattern QUEUE_ID = Pattern.compile("\\bid\\s+([0-9A-Za-z]{5,})\\b");
    static final List<String> OWN_HEADERS = ResultHeaders.OWN;

    /** What another server found about a mail, and which of its header fields to drop. */
    @FunctionalInterface
    public interface ScoreImport {
        Outcome prior(Transaction tx, MessageEdits edits);

        ScoreImport NONE = (tx, edits) -> Outcome.nothing();
    }

    private final Pipeline pipeline;
    private final Spool spool;
    private final Reinjector reinjector;
    private final SpamPolicy spam;
    private final VirusPolicy virus;
    private final Notifier notifier;
    private final ScoreImport scoreImport;
    private final MimeLimits limits;
    private final boolean bounceOnReinjectFailure;
    private final boolean answersPerRecipient;

    /** @param answersPerRecipient LMTP: the client hears one answer per recipient (else one for all, SMTP) */
    public MailHandler(Pipeline pipeline, Spool spool, Reinjector reinjector, SpamPolicy spam, VirusPolicy virus,
                       String notificationFrom, ScoreImport scoreImport, MimeLimits limits, boolean bounceOnReinjectFailure,
                       boolean answersPerRecipient) {
        this.bounceOnReinjectFailure = bounceOnReinjectFailure;
        this.answersPerRecipient = answersPerRecipient;
        this.pipeline = pipeline;
        this.spool = spool;
        this.reinjector = reinjector;
        this.spam = spam;
        this.virus = virus;
        this.notifier = new Notifier(reinjector, notificationFrom);
        this.scoreImport = scoreImport;
        this.limits = limits;
    }

    @Override
    public List<SmtpReply> deliver(SpoolEntry entry) {
        long t0 = System.nanoTime();
        SpooledMessage message = new SpooledMessage(entry.file(), entry.offset(), entry.copy(), limits);
        Transaction tx = transaction(entry, message);
        MessageEdits importEdits = new MessageEdits();
        Outcome prior = scoreImport.prior(tx, importEdits);
        Verdict verdict = pipeline.run(tx, prior);
        Decision decision = Decision.of(verdict, spam, virus);
        List<SmtpReply> replies = carryOut(entry, message, tx, verdict, decision, importEdits);
        pipeline.finalState(finalState(decision, replies.getFirst()));
        DecisionLog.log("detective", tx, verdict, decision.label() + " " + replies.getFirst().render(), System.nanoTime() - t0);
        return replies;
    }

    /**
     * The final state for statistics and metrics: the decision ({@code deliver/good},
     * {@code tag/spam}, ...), unless carrying it out ended otherwise: a mail no next hop took
     * is {@code tempfail/<kind>} (or {@code bounce/<kind>} when so configured).
     */
    static String finalState(Decision d, SmtpReply reply) {
        if (reply.code() >= 400 && reply.code() < 500 && d.fate() != Decision.Fate.TEMPFAIL) return "tempfail/" + d.kind();
        if (reply.code() >= 500 && d.fate() != Decision.Fate.BOUNCE) return "bounce/" + d.kind();
        return d.label();
    }

    private List<SmtpReply> carryOut(SpoolEntry entry, SpooledMessage message, Transaction tx, Verdict v, Decision d,
                                     MessageEdits importEdits) {
        try {
            return switch (d.fate()) {
                case DELIVER, TAG -> deliver(entry, message, v, d, importEdits);
                case BOUNCE -> {
                    notifyAbout(entry, message, v, d, "");
                    spool.done(entry);
                    yield List.of(SmtpReply.of(554, "5.7.1", bounceText(d, tx)));
                }
                case DELETE -> {
                    notifyAbout(entry, message, v, d, "");
                    spool.done(entry);
                    yield List.of(SmtpReply.of(250, "2.0.0", "Ok: dropped (" + d.kind() + ") as " + entry.id()));
                }
                case TEMPFAIL -> {
                    spool.done(entry); // the sending MTA keeps the mail and tries again
                    yield List.of(SmtpReply.of(451, "4.3.0", tempfailText(d)));
                }
                case QUARANTINE -> {
                    spool.quarantine(entry, d.reason());
                    notifyAbout(entry, message, v, d, entry.id());
                    yield List.of(SmtpReply.of(250, "2.0.0", "Ok: quarantined (" + d.kind() + ") as " + entry.id()));
                }
            };
        } catch (IOException e) {
            log.error("detective id={}: cannot finish handling ({}): {}; the sender's MTA keeps the mail", entry.id(), d.label(), e.toString());
            keepForAdmin(entry, "handling failed: " + e);
            return List.of(SmtpReply.of(451, "4.3.0", "Local error in processing; try again later"));
        }
    }

    private List<SmtpReply> deliver(SpoolEntry entry, SpooledMessage message, Verdict v, Decision d, MessageEdits importEdits)
            throws IOException {
        MessageEdits edits = finalEdits(v, d, importEdits);
        List<String> rcpts = entry.envelope().recipientAddresses();
        Reinjector.Result r = reinjector.deliver(entry.envelope(), rcpts, message.size(),
                out -> MessageWriter.write(message, edits, out));
        if (!r.delivered()) {
            spool.done(entry); // the sending MTA keeps the original and tries again
            if (r.permanent()) return List.of(SmtpReply.of(554, "5.6.0", "Refused by the next hop: " + r.problem()));
            if (bounceOnReinjectFailure) {
                log.warn("detective id={}: no reinjection target took the mail ({}); bounced as configured", entry.id(), r.problem());
                return List.of(SmtpReply.of(554, "5.4.0", "Next hop unavailable"));
            }
            log.warn("detective id={}: no reinjection target took the mail ({}); deferred", entry.id(), r.problem());
            return List.of(SmtpReply.of(451, "4.4.1", "Next hop unavailable; try again later"));
        }
        String where = r.accepted().address() + (r.queueId().isEmpty() ? "" : " as " + r.queueId());
        SmtpReply ok = SmtpReply.of(250, "2.0.0", "Ok: " + (d.fate() == Decision.Fate.TAG ? "tagged, " : "") + "delivered to " + where);
        if (r.refused().isEmpty()) {
            spool.done(entry);
            return List.of(ok);
        }
        // Some recipients refused for good by the next hop, the others delivered: each its own answer (LMTP);
        // for SMTP the mail is kept in failed/ for the administrator, as the one answer cannot say both.
        List<SmtpReply> per = new ArrayList<>();
        for (String rcpt : rcpts) {
            SmtpReply refusal = r.refused().get(rcpt);
            per.add(refusal == null ? ok : SmtpReply.of(refusal.code(), refusal.status(), "Refused by the next hop: " + refusal.text()));
        }
        if (answersPerRecipient) {
            log.warn("detective id={}: the next hop refused {} of {} recipients ({}); told the client per recipient", entry.id(),
                    r.refused().size(), rcpts.size(), r.refused().keySet());
            spool.done(entry);
            return per;
        }
        log.error("detective id={}: the next hop refused {} of {} recipients ({}); the mail is kept in {}", entry.id(),
                r.refused().size(), rcpts.size(), r.refused().keySet(), spool.failedDir());
        spool.fail(entry, "the next hop refused " + r.refused());
        return per;
    }

    /** The X-Decency headers as the seeds' matrix says, forged ones of the sender dropped first. */
    private MessageEdits finalEdits(Verdict v, Decision d, MessageEdits importEdits) {
        MessageEdits e = v.edits();
        for (String h : OWN_HEADERS) e.remove(h);
        importEdits.removed().forEach(e::remove);
        for (MessageEdits.Field f : ResultHeaders.of(v, d, spam)) e.add(f.name(), f.value());
        String prefix = ResultHeaders.subjectPrefix(d, spam);
        if (!prefix.isEmpty()) e.prefixSubject(prefix);
        return e;
    }

    /** The check's text without a reply code or enhanced status code of its own (the reply has them). */
    private static String tempfailText(Decision d) {
        String text = d.reason().replaceAll("[\\r\\n]+", " ").replaceFirst("^4\\d\\d ", "").replaceFirst("^4\\.\\d{1,3}\\.\\d{1,3} ", "");
        return text.isBlank() ? "Try again later" : text;
    }

    private static String bounceText(Decision d, Transaction tx) {
        String text = d.reason().replaceAll("[\\r\\n]+", " ");
        String id = "[" + tx.id() + "]";
        return text.endsWith(id) ? text : text + " " + id; // a check's own refusal has it already (the pipeline added it)
    }

    private void notifyAbout(SpoolEntry entry, SpooledMessage message, Verdict v, Decision d, String quarantineId) {
        Map<String, String> vars = new HashMap<>();
        vars.put("reason", d.kind());
        vars.put("virus", d.virus() == null ? "" : d.virus());
        vars.put("sender", entry.envelope().sender());
        vars.put("subject", message.header("Subject").orElse("(no subject)"));
        vars.put("score", Scores.format(v.total()));
        vars.put("spam_info", ResultHeaders.spamInfo(v));
        vars.put("message_id", message.header("Message-ID").orElse(""));
        vars.put("quarantine_id", quarantineId);
        vars.put("id", entry.id());
        Notice toRecipient = d.kind().equals("virus") ? virus.recipientNotice() : spam.recipientNotice();
        for (String rcpt : entry.envelope().recipientAddresses()) {
            vars.put("recipient", rcpt);
            notifier.send(toRecipient, rcpt, vars);
        }
        if (d.kind().equals("virus")) {
            vars.put("recipient", String.join(", ", entry.envelope().recipientAddresses()));
            notifier.send(virus.senderNotice(), entry.envelope().sender(), vars);
        }
    }

    private void keepForAdmin(SpoolEntry entry, String why) {
        try {
            spool.fail(entry, why);
        } catch (IOException e) {
            log.error("detective id={}: cannot move the mail to {} either: {}", entry.id(), spool.failedDir(), e.toString());
        }
    }

    /** The transaction the checks see: the original client from XFORWARD, the envelope, the mail. */
    static Transaction transaction(SpoolEntry entry, SpooledMessage message) {
        SpooledEnvelope env = entry.envelope();
        Map<String, String> xf = env.xforward();
        String addr = real(xf.get("ADDR"));
        String name = real(xf.get("NAME"));
        Connection c = new Connection(addr, name, name, real(xf.get("HELO")), real(xf.get("PROTO")), "", "", "", "", "", "", "", "");
        List<MailAddress> rcpts = env.recipientAddresses().stream().map(MailAddress::parse).toList();
        Envelope e = new Envelope(MailAddress.parse(env.sender()), rcpts, message.size(), rcpts.size(),
                queueId(message), "");
        return new Transaction(Identifiers.next(), Stage.MESSAGE, c, e, Map.of(), message);
    }

    /** Postfix's XFORWARD says [UNAVAILABLE] or [TEMPUNAVAIL] for what it does not know. */
    private static String real(String v) {
        return v == null || v.startsWith("[UNAVAILABLE") || v.startsWith("[TEMPUNAVAIL") ? "" : v;
    }

    /** The queue id of the Postfix that handed the mail over, from the first Received field ("... with ESMTP id 4Xq...; ..."). */
    static String queueId(SpooledMessage message) {
        return message.headers("Received").stream().findFirst().map(f -> {
            Matcher m = QUEUE_ID.matcher(f.value());
            return m.find() ? m.group(1) : "";
        }).orElse("");
    }
}
