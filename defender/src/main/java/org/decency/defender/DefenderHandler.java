package org.decency.defender;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.decency.core.Action;
import org.decency.core.Connection;
import org.decency.core.Identifiers;
import org.decency.core.MailAddress;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.defender.milter.Milter;
import org.decency.defender.milter.MilterCommand;
import org.decency.defender.milter.MilterHandler;
import org.decency.defender.milter.MilterReply;
import org.decency.defender.milter.Macros;
import org.decency.defender.milter.Negotiation;
import org.decency.defender.milter.Wire;
import org.decency.detective.Decision;
import org.decency.detective.ResultHeaders;
import org.decency.mail.SpooledMessage;
import org.decency.message.MessageEdits;
import org.decency.pipeline.DecisionLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Defender's work on one milter connection. The connection's facts (client, HELO,
 * TLS and SASL macros) go into every {@link Transaction}; each message gets an id and
 * one transaction at a time per stage:
 *
 * <ul>
 *   <li>at the envelope stages named in {@code doorman.stages} (RCPT unless configured)
 *       the Doorman's checks run as for a policy request; a refusal is the milter's reply
 *       to that command (a refused recipient is left out, the others go on), a PREPEND is
 *       kept for the header, HOLD quarantines the mail at the end, DISCARD discards it;</li>
 *   <li>the mail is kept while it comes: in memory when small, else in a file of its own;</li>
 *   <li>at the end of the data the Detective's checks run on the whole mail, after the
 *       Doorman's score (the recipient that scored lowest counts), so the transaction has
 *       one score; the decision (spam, virus, a check's refusal, quarantine, delete, good)
 *       becomes the milter's modifications and final reply, and one log line with every
 *       partial score.</li>
 * </ul>
 *
 * The file is removed when the message ends however it ends (decided, aborted, the
 * connection lost).
 */
final class DefenderHandler implements MilterHandler {
    private static final Logger log = LoggerFactory.getLogger(DefenderHandler.class);
    private static final String SERVER = DoormanStage.SERVER;

    private final Defender defender;
    private final DefenderSettings settings;
    private Negotiation negotiation = new Negotiation(2, 0, 0);

    // the SMTP connection
    private String connectionId = Identifiers.next();
    private String clientAddress = "";
    private String clientName = "";
    private String helo = "";
    private DoormanFindings connectionKept = new DoormanFindings();

    // the message
    private Message message;

    /** One message: from MAIL to the end of the data or an abort. */
    private final class Message {
        final String id = Identifiers.next();
        final long started = System.nanoTime();
        final String sender;
        final List<String> senderParams;
        final List<String> recipients = new ArrayList<>();
        final DoormanFindings kept = connectionKept.copy();
        final HeaderEdits.Census census = new HeaderEdits.Census();
        MessageFile file;
        long bytes;
        boolean oversize;
        String spoolProblem;

        Message(List<String> mailArgs) {
            sender = Wire.text(mailArgs.getFirst());
            senderParams = mailArgs.subList(1, mailArgs.size()).stream().map(Wire::text).toList();
        }

        long announcedSize() {
            for (String p : senderParams) {
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

        /** The file, opened at the first byte of the mail; null when nothing is written (no content check, too big, failed). */
        MessageFile file() {
            if (file == null && !oversize && spoolProblem == null && defender.spools()) {
                try {
                    file = MessageFile.create(defender.dir(), id, settings.limits().inMemory());
                } catch (IOException e) {
                    spoolProblem = e.toString();
                    log.error("defender id={}: cannot write the mail to {}: {}", id, defender.dir(), e.toString());
                }
            }
            return file;
        }

        void discard() {
            if (file != null) file.delete();
            file = null;
        }
    }

    DefenderHandler(Defender defender) {
        this.defender = defender;
        this.settings = defender.settings();
    }

    /**
     * The body is not answered: Postfix's cleanup sends it only once the whole mail is in its
     * queue file, so a refusal or a skip at the first chunk saves nothing but bytes on the
     * socket, while a reply per chunk costs a round trip per mail. A mail too big is refused
     * at the end of the data instead (at once where the MTA waits for body replies anyway).
     */
    @Override
    public Set<Step> answers() {
        Set<Step> s = EnumSet.noneOf(Step.class);
        for (Stage st : settings.doormanStages()) {
            switch (st) {
                case CONNECT -> s.add(Step.CONNECT);
                case HELO -> s.add(Step.HELO);
                case MAIL -> s.add(Step.MAIL);
                case RCPT -> s.add(Step.RCPT);
                default -> { }
            }
        }
        return s;
    }

    /**
     * The macros {@link #connection} and {@link #transaction} read, asked for where they are
     * known (Postfix: {@code i}, the queue id, from the first accepted RCPT on); the MTA sends
     * no others. DATA and the end of the header get {@code i} too, as an empty list would
     * leave Postfix's own.
     */
    @Override
    public Map<Integer, String> macros() {
        return Map.of(Milter.SMFIM_CONNECT, "{client_addr} {client_ptr}",
                Milter.SMFIM_HELO, "{tls_version} {cipher} {cert_subject} {cert_issuer}",
                Milter.SMFIM_ENVFROM, "i {auth_type} {auth_authen} {auth_author}",
                Milter.SMFIM_ENVRCPT, "i", Milter.SMFIM_DATA, "i", Milter.SMFIM_EOH, "i", Milter.SMFIM_EOM, "i");
    }

    /** DATA and unknown SMTP commands: no check is asked at them. */
    @Override
    public Set<Step> ignores() {
        return EnumSet.of(Step.DATA, Step.UNKNOWN);
    }

    @Override
    public int actions() {
        return Milter.SMFIF_ADDHDRS | Milter.SMFIF_CHGHDRS | Milter.SMFIF_ADDRCPT | Milter.SMFIF_DELRCPT | Milter.SMFIF_CHGBODY
                | Milter.SMFIF_QUARANTINE;
    }

    @Override
    public void negotiated(Negotiation n) {
        negotiation = n;
    }

    // ---- the connection

    @Override
    public MilterReply connect(MilterCommand.Connect c, Macros macros) {
        connectionId = Identifiers.next();
        connectionKept = new DoormanFindings();
        helo = "";
        clientAddress = Wire.text(c.address());
        if (clientAddress.isEmpty() || c.family() == Milter.SMFIA_UNIX) {
            clientAddress = Wire.text(macros.get("client_addr")); // an unknown family, or a unix socket: the macro may know
        }
        if (clientAddress.regionMatches(true, 0, "IPv6:", 0, 5)) clientAddress = clientAddress.substring(5);
        String host = Wire.text(c.hostname());
        // Postfix and Sendmail write [address] for a client without a (verified) name; a policy server hears "unknown"
        clientName = host.isEmpty() || host.startsWith("[") ? "unknown" : host;
        return envelopeStage(Stage.CONNECT, macros, null);
    }

    @Override
    public MilterReply helo(String name, Macros macros) {
        helo = Wire.text(name);
        return envelopeStage(Stage.HELO, macros, null);
    }

    @Override
    public MilterReply unknown(String command, Macros macros) {
        return MilterReply.CONTINUE;
    }

    @Override
    public void disconnect() {
        abort();
    }

    @Override
    public void close() {
        abort();
    }

    // ---- the envelope

    @Override
    public MilterReply mail(List<String> args, Macros macros) {
        abort();
        message = new Message(args);
        return envelopeStage(Stage.MAIL, macros, null);
    }

    @Override
    public MilterReply rcpt(List<String> args, Macros macros) {
        Message m = message;
        String rcpt = Wire.text(args.getFirst());
        MilterReply r = envelopeStage(Stage.RCPT, macros, rcpt);
        if (r == MilterReply.CONTINUE) m.recipients.add(MailAddress.parse(rcpt).raw());
        return r;
    }

    @Override
    public MilterReply data(Macros macros) {
        return MilterReply.CONTINUE;
    }

    /** Runs the Doorman when it is asked at this stage; the reply for the command. */
    private MilterReply envelopeStage(Stage stage, Macros macros, String recipient) {
        if (!settings.doormanStages().contains(stage)) return MilterReply.CONTINUE;
        Transaction tx = transaction(message, stage, macros, recipient, null);
        DoormanFindings kept = message != null ? message.kept : connectionKept;
        DoormanStage.Result r = DoormanStage.run(defender.doorman(), tx, kept, stage == Stage.MAIL || stage == Stage.RCPT, 451);
        if (r.refusal() != null) {
            MilterReply.ReplyCode refusal = r.refusal().milter();
            r.log(refusal.text().replace("\r\n", " "));
            return refusal;
        }
        r.log(r.discard() ? "discard" : r.verdict().action() == Action.HOLD ? "continue (held)" : "continue");
        return r.discard() ? MilterReply.DISCARD : MilterReply.CONTINUE;
    }

    // ---- the content

    @Override
    public MilterReply header(String name, String value, Macros macros) {
        Message m = message;
        m.census.add(name, value);
        m.bytes += name.length() + value.length() + 4;
        if (tooBig(m)) return MilterReply.CONTINUE; // answered at the first body chunk
        write(m, f -> f.header(name, value, negotiation.leadingSpace()));
        return MilterReply.CONTINUE;
    }

    @Override
    public MilterReply endOfHeaders(Macros macros) {
        Message m = message;
        if (!tooBig(m)) write(m, MessageFile::endOfHeader);
        return MilterReply.CONTINUE;
    }

    @Override
    public MilterReply body(byte[] chunk, Macros macros) {
        Message m = message;
        m.bytes += chunk.length;
        MilterReply r;
        if (tooBig(m)) {
            r = settings.limits().oversize() == DefenderSettings.Oversize.REJECT
                    ? MilterReply.reply(552, "5.3.4", "Message too big for the content checks (" + settings.limits().maxMessageSize()
                            + " bytes at most)")
                    : MilterReply.SKIP; // the rest is not looked at; continue where the MTA cannot skip
        } else if (!defender.spools()) {
            r = MilterReply.SKIP; // no content check reads the body
        } else {
            write(m, f -> f.body(chunk));
            r = MilterReply.CONTINUE;
        }
        return negotiation.has(Milter.SMFIP_NR_BODY) ? MilterReply.CONTINUE : r; // not answered: decided at the end
    }

    /** True once the mail is over max_message_size; its file is gone then. */
    private boolean tooBig(Message m) {
        if (!m.oversize && m.bytes > settings.limits().maxMessageSize()) {
            m.oversize = true;
            m.discard();
            log.info("defender id={}: the mail is over max_message_size ({} bytes); {}", m.id, settings.limits().maxMessageSize(),
                    settings.limits().oversize() == DefenderSettings.Oversize.REJECT ? "refused" : "the content checks skip it");
        }
        return m.oversize;
    }

    private interface Write {
        void to(MessageFile f) throws IOException;
    }

    private void write(Message m, Write w) {
        MessageFile f = m.file();
        if (f == null) return;
        try {
            w.to(f);
        } catch (IOException e) {
            m.spoolProblem = e.toString();
            log.error("defender id={}: cannot write the mail to {}: {}", m.id, f.path(), e.toString());
            m.discard();
        }
    }

    @Override
    public List<MilterReply> endOfMessage(Macros macros) {
        Message m = message;
        message = null;
        try {
            return decide(m, macros);
        } finally {
            m.discard();
        }
    }

    private List<MilterReply> decide(Message m, Macros macros) {
        if (m.oversize && settings.limits().oversize() == DefenderSettings.Oversize.REJECT) {
            // before a spool problem: a 451 would have the client send again what is refused anyway
            defender.detective().finalState("bounce/oversize");
            return List.of(MilterReply.reply(552, "5.3.4", "Message too big for the content checks"));
        }
        if (m.spoolProblem != null) {
            log.error("defender id={}: the mail could not be written for the checks ({}); answered 451", m.id, m.spoolProblem);
            defender.detective().finalState("tempfail/error");
            return List.of(MilterReply.reply(451, "4.3.0", "Local error in processing; try again later"));
        }
        if (!m.oversize) m.file(); // an empty mail is a mail too
        SpooledMessage mail = null;
        if (m.file != null) {
            try {
                mail = m.file.finish(settings.mimeLimits());
            } catch (IOException e) {
                log.error("defender id={}: cannot write the mail to {}: {}; answered 451", m.id, m.file.path(), e.toString());
                defender.detective().finalState("tempfail/error");
                return List.of(MilterReply.reply(451, "4.3.0", "Local error in processing; try again later"));
            }
        }
        Transaction tx = transaction(m, Stage.MESSAGE, macros, null, mail);
        Verdict prior = m.kept.verdict();
        Outcome priorOutcome = m.kept.outcome();
        Verdict v;
        if (mail == null) {
            // nothing to read (no content check, or too big and accepted): the Doorman's findings decide alone
            double threshold = defender.detective().settings().threshold();
            v = prior == null ? new Verdict(Action.DUNNO, "", 0, threshold, List.of(), Set.of(), "")
                    : new Verdict(Action.DUNNO, "", prior.total(), threshold, prior.scores(), prior.flags(), "");
        } else {
            v = check(tx, priorOutcome);
        }
        Decision d = Decision.of(v, settings.spam(), settings.virus());
        List<MilterReply> replies = render(m, v, d);
        MilterReply last = replies.getLast();
        DecisionLog.log(SERVER, tx, v, d.label() + " " + describe(last, replies), System.nanoTime() - m.started);
        defender.detective().finalState(d.label());
        return replies;
    }

    private Verdict check(Transaction tx, Outcome prior) {
        boolean interrupted = false;
        try {
            defender.checking().acquire();
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a free check slot");
        }
        try {
            return defender.detective().run(tx, prior);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("the mail file could not be read: " + e.getMessage(), e);
        } finally {
            defender.checking().release();
        }
    }

    /** The modifications and the final reply for a decision. */
    private List<MilterReply> render(Message m, Verdict v, Decision d) {
        List<MilterReply> out = new ArrayList<>();
        boolean held = m.kept.heldBy != null;
        switch (d.fate()) {
            case BOUNCE -> {
                out.add(Replies.bounce(d, settings).milter());
                return out;
            }
            case TEMPFAIL -> {
                out.add(Replies.tempfail(d).milter());
                return out;
            }
            case DELETE -> {
                out.add(MilterReply.DISCARD);
                return out;
            }
            case DELIVER, TAG, QUARANTINE -> {
                boolean known = d.kind().equals("good") || d.kind().equals("spam") || d.kind().equals("virus");
                List<MessageEdits.Field> results = known ? ResultHeaders.of(v, d, settings.spam()) : List.of();
                String prefix = ResultHeaders.subjectPrefix(d, settings.spam());
                if (prefix.isEmpty()) prefix = v.edits().subjectPrefix(); // a check's own prefix
                out.addAll(HeaderEdits.render(v.edits(), m.kept.prepends, results, prefix, m.census, negotiation,
                        w -> log.warn("defender id={}: {}", m.id, w)));
                if (d.fate() == Decision.Fate.QUARANTINE || held) {
                    if (!negotiation.allows(Milter.SMFIF_QUARANTINE)) {
                        log.warn("defender id={}: the MTA does not allow quarantine (SMFIF_QUARANTINE); answered 451 instead", m.id);
                        return List.of(MilterReply.reply(451, "4.7.1", "Message held for review; try again later"));
                    }
                    out.add(new MilterReply.Quarantine(Wire.of(d.fate() == Decision.Fate.QUARANTINE ? d.reason() : m.kept.heldBy)));
                }
                out.add(MilterReply.ACCEPT);
                return out;
            }
        }
        throw new IllegalStateException("unknown fate " + d.fate());
    }

    private static String describe(MilterReply last, List<MilterReply> all) {
        String verb = last instanceof MilterReply.ReplyCode r ? r.text().replace("\r\n", " ")
                : last == MilterReply.DISCARD ? "discard" : last == MilterReply.ACCEPT ? "accept" : "continue";
        boolean quarantined = all.stream().anyMatch(r -> r instanceof MilterReply.Quarantine);
        long edits = all.stream().filter(r -> !r.decides() && !(r instanceof MilterReply.Quarantine)).count();
        return verb + (quarantined ? " quarantined" : "") + (edits > 0 ? " header_edits=" + edits : "");
    }

    @Override
    public void abort() {
        Message m = message;
        message = null;
        if (m != null) {
            m.discard();
            log.debug("defender id={}: message from <{}> ended without its data (aborted)", m.id, m.sender);
        }
    }

    // ---- transactions

    /** @param m the message (null before MAIL) */
    private Transaction transaction(Message m, Stage stage, Macros macros, String recipient, SpooledMessage mail) {
        List<MailAddress> rcpts = m == null ? List.of() : m.recipients.stream().map(MailAddress::parse).toList();
        MailAddress sender = m == null ? MailAddress.NULL_SENDER : MailAddress.parse(m.sender);
        long size = mail != null ? mail.size() : m != null ? m.announcedSize() : 0;
        return DoormanStage.transaction(m != null ? m.id : connectionId, stage, connection(macros), sender, recipient, rcpts, size,
                Wire.text(macros.get("i")), m != null ? m.id : "", defender.doorman().settings().recipientDelimiter(), mail);
    }

    private Connection connection(Macros m) {
        String ptr = Wire.text(m.get("client_ptr"));
        return new Connection(clientAddress, clientName, ptr.isEmpty() ? clientName : ptr, helo, "",
                Wire.text(m.get("auth_type")), Wire.text(m.get("auth_authen")), Wire.text(m.get("auth_author")),
                Wire.text(m.get("cert_subject")), Wire.text(m.get("cert_issuer")), "", Wire.text(m.get("tls_version")),
                Wire.text(m.get("cipher")));
    }
}
