package org.decency.detective;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.decency.core.Action;
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
import org.decency.detective.smtp.EnvelopeGate;
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

    /**
     * What a before-queue proxy's envelope checks found about one transaction, for the
     * decision at the end of its DATA. The {@link EnvelopeGate.Screening} of such a proxy
     * (the Defender's prequeue mode) is one; {@link #deliver(SpoolEntry, EnvelopeGate.Screening)}
     * then decides with it. The Detective behind a queue has none.
     */
    public interface Screened {
        /** The transaction's id from MAIL FROM on: in the log lines and reject texts of every stage. */
        String id();

        /** The envelope checks' scores and flags: counted before the content checks, one score for the transaction. */
        Outcome prior();

        /** A decision the envelope made already (its checks dropped the mail): the content checks are not asked. Null: ask them. */
        default Decision decided() {
            return null;
        }

        /** The content checks' decision with what the envelope asked for added (a HOLD quarantines a mail that would go on). */
        default Decision adjust(Decision d) {
            return d;
        }

        /** The reply for a mail refused at the end of DATA; null for the Detective's own ({@code 554 5.7.1 <reason> [<id>]}). */
        default SmtpReply refusal(Decision d) {
            return null;
        }
    }

    private final String server;
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
        this("detective", pipeline, spool, reinjector, spam, virus, notificationFrom, scoreImport, limits, bounceOnReinjectFailure,
                answersPerRecipient);
    }

    /** @param server the server's name in the decision log line ({@code detective}, {@code defender}) */
    public MailHandler(String server, Pipeline pipeline, Spool spool, Reinjector reinjector, SpamPolicy spam, VirusPolicy virus,
                       String notificationFrom, ScoreImport scoreImport, MimeLimits limits, boolean bounceOnReinjectFailure,
                       boolean answersPerRecipient) {
        this.server = server;
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
        return handle(entry, null);
    }

    /** With a before-queue proxy's {@link Screened} screening, decides with what its envelope checks found. */
    @Override
    public List<SmtpReply> deliver(SpoolEntry entry, EnvelopeGate.Screening screening) {
        return handle(entry, screening instanceof Screened s ? s : null);
    }

    private List<SmtpReply> handle(SpoolEntry entry, Screened screened) {
        long t0 = System.nanoTime();
        SpooledMessage message = new SpooledMessage(entry.file(), entry.offset(), entry.copy(), limits);
        Transaction tx = screened == null ? transaction(entry, message) : transaction(screened.id(), screened.id(), entry, message);
        MessageEdits importEdits = new MessageEdits();
        Outcome prior = screened != null ? screened.prior() : scoreImport.prior(tx, importEdits);
        Decision early = screened == null ? null : screened.decided();
        Verdict verdict;
        Decision decision;
        if (early != null) {
            verdict = new Verdict(Action.DUNNO, "", prior.total(), pipeline.settings().threshold(), prior.scores(),
                    Set.copyOf(prior.flags()), "");
            decision = early;
        } else {
            verdict = pipeline.run(tx, prior);
            decision = Decision.of(verdict, spam, virus);
            if (screened != null) decision = screened.adjust(decision);
        }
        List<SmtpReply> replies = carryOut(entry, message, tx, verdict, decision, importEdits, screened);
        pipeline.finalState(finalState(decision, replies.getFirst()));
        DecisionLog.log(server, tx, verdict, decision.label() + " " + replies.getFirst().render(), System.nanoTime() - t0);
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
                                     MessageEdits importEdits, Screened screened) {
        try {
            return switch (d.fate()) {
                case DELIVER, TAG -> deliver(entry, message, v, d, importEdits);
                case BOUNCE -> {
                    notifyAbout(entry, message, v, d, "");
                    spool.done(entry);
                    SmtpReply own = screened == null ? null : screened.refusal(d);
                    yield List.of(own != null ? own : SmtpReply.of(554, "5.7.1", bounceText(d, tx)));
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
        return transaction(Identifiers.next(), "", entry, message);
    }

    /** @param instance the id a before-queue proxy gave the transaction at MAIL FROM (else empty) */
    private static Transaction transaction(String id, String instance, SpoolEntry entry, SpooledMessage message) {
        SpooledEnvelope env = entry.envelope();
        Map<String, String> xf = env.xforward();
        String addr = real(xf.get("ADDR")).replaceFirst("(?i)^ipv6:", ""); // Postfix writes an IPv6 client as IPv6:2001:db8::1
        String name = real(xf.get("NAME"));
        Connection c = new Connection(addr, name, name, real(xf.get("HELO")), real(xf.get("PROTO")), "", "", "", "", "", "", "", "");
        List<MailAddress> rcpts = env.recipientAddresses().stream().map(MailAddress::parse).toList();
        Envelope e = new Envelope(MailAddress.parse(env.sender()), rcpts, message.size(), rcpts.size(),
                queueId(message), instance);
        return new Transaction(id, Stage.MESSAGE, c, e, Map.of(), message);
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
