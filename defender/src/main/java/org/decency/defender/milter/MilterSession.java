package org.decency.defender.milter;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filter side of one milter socket: option negotiation, then the commands of one or
 * more SMTP connections in protocol order, each handed to the {@link MilterHandler} and
 * answered unless the step was negotiated as "no reply". Macros, ABORT, QUIT and QUIT_NC
 * are never answered.
 *
 * <p>The MTA is not trusted: a packet over the size limit, a cut-off packet, an unknown
 * or malformed command, or a command out of order (a header before MAIL, a second
 * CONNECT without QUIT_NC) ends the session with one log line; a handler that throws
 * ends it too (the MTA applies its {@code milter_default_action}). Either way the handler
 * hears {@link MilterHandler#disconnect()} and {@link MilterHandler#close()}, so a message
 * half received is cleaned up.
 */
public final class MilterSession {
    private static final Logger log = LoggerFactory.getLogger(MilterSession.class);

    /** Macro commands that belong to one message: dropped when it ends. */
    private static final byte[] MESSAGE_MACROS = {Milter.SMFIC_MAIL, Milter.SMFIC_RCPT, Milter.SMFIC_DATA, Milter.SMFIC_HEADER,
            Milter.SMFIC_EOH, Milter.SMFIC_BODY, Milter.SMFIC_BODYEOB};

    private enum State { START, NEGOTIATED, CONNECTED, MESSAGE }

    private final PacketReader in;
    private final OutputStream out;
    private final MilterHandler handler;
    private final String peer;
    private final java.util.function.BooleanSupplier stopping;
    private final Macros macros = new Macros();
    private State state = State.START;
    private Negotiation negotiation;
    private long messages;

    public MilterSession(InputStream in, OutputStream out, int maxPacket, MilterHandler handler, String peer) {
        this(in, out, maxPacket, handler, peer, () -> false);
    }

    /** @param stopping true once the server shuts down: a connection it closes is not worth a warning then */
    public MilterSession(InputStream in, OutputStream out, int maxPacket, MilterHandler handler, String peer,
                         java.util.function.BooleanSupplier stopping) {
        // small buffers: Postfix opens a connection per SMTP session, and a larger packet (a body chunk) is read past them
        this.in = new PacketReader(new BufferedInputStream(in, 8192), maxPacket);
        this.out = new BufferedOutputStream(out, 4096);
        this.handler = handler;
        this.peer = peer;
        this.stopping = stopping;
    }

    /** Serves the socket until the MTA is done or breaks the protocol; never throws. */
    public void run() {
        try {
            serve();
        } catch (MilterProtocolException e) {
            log.warn("milter {}: {}; session ended{}", peer, e.getMessage(), inMessage());
        } catch (java.net.SocketTimeoutException e) {
            log.warn("milter {}: nothing heard for too long; session ended{}", peer, inMessage());
        } catch (IOException e) {
            if (stopping.getAsBoolean()) log.info("milter {}: closed as the server stops{}", peer, inMessage());
            else log.warn("milter {}: connection lost ({}); session ended{}", peer, e.getMessage(), inMessage());
        } catch (RuntimeException e) {
            log.error("milter {}: internal error, session ended (the MTA applies its milter_default_action): {}", peer, e, e);
        } finally {
            try {
                if (state == State.CONNECTED || state == State.MESSAGE) handler.disconnect();
            } catch (RuntimeException e) {
                log.warn("milter {}: cleaning up failed: {}", peer, e.toString());
            }
            try {
                handler.close();
            } catch (RuntimeException e) {
                log.warn("milter {}: closing failed: {}", peer, e.toString());
            }
        }
    }

    private String inMessage() {
        return state == State.MESSAGE ? " in the middle of a message (dropped)" : "";
    }

    private void serve() throws IOException {
        Packet p;
        while ((p = in.next()) != null) {
            MilterCommand c = MilterCommand.decode(p);
            if (!handle(c)) return;
        }
        if (state == State.MESSAGE) log.warn("milter {}: the MTA closed the connection in the middle of a message (dropped)", peer);
    }

    /** Handles one command; false when the session is over. */
    private boolean handle(MilterCommand c) throws IOException {
        switch (c) {
            case MilterCommand.OptNeg o -> {
                if (state != State.START && state != State.NEGOTIATED) throw outOfOrder("option negotiation", "in a connection");
                negotiate(o);
            }
            case MilterCommand.Macro m -> macros.define(m.stage(), m.macros());
            case MilterCommand.Connect conn -> {
                if (state != State.NEGOTIATED) throw outOfOrder("CONNECT", state == State.START ? "before option negotiation" : "twice");
                state = State.CONNECTED;
                answer(MilterHandler.Step.CONNECT, handler.connect(conn, macros));
            }
            case MilterCommand.Helo h -> {
                connected("HELO");
                answer(MilterHandler.Step.HELO, handler.helo(h.name(), macros));
            }
            case MilterCommand.Mail m -> {
                connected("MAIL");
                if (state == State.MESSAGE) endMessage(true); // a new MAIL without ABORT: the last message is off
                state = State.MESSAGE;
                messages++;
                answer(MilterHandler.Step.MAIL, handler.mail(m.args(), macros));
            }
            case MilterCommand.Rcpt r -> answer(MilterHandler.Step.RCPT, handler.rcpt(r.args(), message("RCPT")));
            case MilterCommand.Data d -> answer(MilterHandler.Step.DATA, handler.data(message("DATA")));
            case MilterCommand.Header h -> answer(MilterHandler.Step.HEADER, handler.header(h.name(), h.value(), message("a header")));
            case MilterCommand.EndOfHeaders e -> answer(MilterHandler.Step.END_OF_HEADERS, handler.endOfHeaders(message("end of header")));
            case MilterCommand.Body b -> answer(MilterHandler.Step.BODY, handler.body(b.chunk(), message("body")));
            case MilterCommand.EndOfBody e -> {
                message("end of body");
                if (e.chunk().length > 0) handler.body(e.chunk(), macros); // Sendmail's last chunk; its reply is the end's
                endOfMessage(handler.endOfMessage(macros));
                endMessage(false);
            }
            case MilterCommand.Abort a -> {
                if (state == State.MESSAGE) endMessage(true);
            }
            case MilterCommand.Unknown u -> {
                connected("an unknown SMTP command");
                answer(MilterHandler.Step.UNKNOWN, handler.unknown(u.command(), macros));
            }
            case MilterCommand.QuitNewConnection q -> {
                if (state == State.CONNECTED || state == State.MESSAGE) handler.disconnect();
                macros.clearAll();
                state = negotiation == null ? State.START : State.NEGOTIATED;
            }
            case MilterCommand.Quit q -> {
                return false;
            }
        }
        return true;
    }

    private void negotiate(MilterCommand.OptNeg o) throws IOException {
        if (o.version() < 2) throw new MilterProtocolException("the MTA speaks milter protocol version " + o.version() + "; 2 or later is needed");
        int version = Math.min(Milter.VERSION, o.version());
        int actions = handler.actions() & o.actions();
        int wanted = Milter.SMFIP_SKIP | Milter.SMFIP_HDR_LEADSPC;
        Set<MilterHandler.Step> answered = handler.answers();
        for (MilterHandler.Step s : MilterHandler.Step.values()) if (!answered.contains(s)) wanted |= s.noReply;
        for (MilterHandler.Step s : handler.ignores()) {
            // the session's order of events needs the others (HELO after CONNECT, RCPT after MAIL ...)
            if (s != MilterHandler.Step.DATA && s != MilterHandler.Step.UNKNOWN) {
                throw new IllegalStateException("a milter handler may ignore DATA and UNKNOWN only, not " + s);
            }
            wanted |= s.notSent;
        }
        int protocol = wanted & o.protocol(); // only what the MTA offers
        if (actions != handler.actions()) {
            log.warn("milter {}: the MTA allows modifications 0x{} of 0x{} asked for; the others are left out", peer,
                    Integer.toHexString(actions), Integer.toHexString(handler.actions()));
        }
        SortedMap<Integer, String> macroLists = new TreeMap<>();
        if (version >= 6 && (o.actions() & Milter.SMFIF_SETSYMLIST) != 0) macroLists.putAll(handler.macros());
        if (!macroLists.isEmpty()) actions |= Milter.SMFIF_SETSYMLIST;
        negotiation = new Negotiation(version, actions, protocol);
        handler.negotiated(negotiation);
        send(new MilterReply.OptNeg(version, actions, protocol, macroLists));
        out.flush();
        state = State.NEGOTIATED;
    }

    private void connected(String what) throws MilterProtocolException {
        if (state != State.CONNECTED && state != State.MESSAGE) throw outOfOrder(what, "before CONNECT");
    }

    private Macros message(String what) throws MilterProtocolException {
        if (state != State.MESSAGE) throw outOfOrder(what, state == State.CONNECTED ? "outside a message (before MAIL)" : "before CONNECT");
        return macros;
    }

    private void endMessage(boolean aborted) {
        if (aborted) handler.abort();
        macros.clear(MESSAGE_MACROS);
        state = State.CONNECTED;
    }

    private MilterProtocolException outOfOrder(String what, String where) {
        return new MilterProtocolException(what + " " + where);
    }

    private void answer(MilterHandler.Step step, MilterReply reply) throws IOException {
        if (negotiation.has(step.noReply)) {
            if (reply != MilterReply.CONTINUE) {
                log.warn("milter {}: {} was agreed without reply; answer {} dropped", peer, step, Milter.describe(reply.code()));
            }
            return;
        }
        if (!reply.decides()) throw new IllegalStateException(step + " must be answered with a decision, not " + reply);
        if (reply == MilterReply.SKIP && (step != MilterHandler.Step.BODY || !negotiation.skip())) reply = MilterReply.CONTINUE;
        send(reply);
        out.flush();
    }

    private void endOfMessage(List<MilterReply> replies) throws IOException {
        if (replies.isEmpty() || !replies.getLast().decides()
                || replies.subList(0, replies.size() - 1).stream().anyMatch(MilterReply::decides)) {
            throw new IllegalStateException("the end of a message needs modifications first and one decision last: " + replies);
        }
        for (MilterReply r : replies) send(r);
        out.flush();
    }

    private void send(MilterReply r) throws IOException {
        out.write(r.encode());
    }

    /** Messages begun on this socket (for tests and logs). */
    public long messages() {
        return messages;
    }
}
