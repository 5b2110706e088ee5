package org.decency.defender.milter;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a milter does with the events of one MTA connection; {@link MilterSession} speaks
 * the protocol around it. One handler serves one socket, from one thread: a connection
 * (CONNECT ... QUIT, or several with QUIT_NC), and in it any number of messages (MAIL ...
 * end of body, or ABORT). Strings are wire strings ({@link Wire}).
 *
 * <p>Every step returns the reply for it; for a step not in {@link #answers()} the
 * session asks the MTA not to wait for one (when the MTA offers that) and drops it.
 */
public interface MilterHandler extends AutoCloseable {

    /** The protocol steps that may be answered with anything but continue. */
    enum Step {
        CONNECT(Milter.SMFIP_NR_CONN, Milter.SMFIP_NOCONNECT), HELO(Milter.SMFIP_NR_HELO, Milter.SMFIP_NOHELO),
        MAIL(Milter.SMFIP_NR_MAIL, Milter.SMFIP_NOMAIL), RCPT(Milter.SMFIP_NR_RCPT, Milter.SMFIP_NORCPT),
        DATA(Milter.SMFIP_NR_DATA, Milter.SMFIP_NODATA), HEADER(Milter.SMFIP_NR_HDR, Milter.SMFIP_NOHDRS),
        END_OF_HEADERS(Milter.SMFIP_NR_EOH, Milter.SMFIP_NOEOH), BODY(Milter.SMFIP_NR_BODY, Milter.SMFIP_NOBODY),
        UNKNOWN(Milter.SMFIP_NR_UNKN, Milter.SMFIP_NOUNKNOWN);

        /** The {@code SMFIP_NR_*} bit that spares the MTA waiting for this step's reply. */
        public final int noReply;
        /** The {@code SMFIP_NO*} bit that spares the MTA sending this step at all. */
        public final int notSent;

        Step(int noReply, int notSent) {
            this.noReply = noReply;
            this.notSent = notSent;
        }
    }

    /** The steps this handler answers; the MTA is asked not to wait at the others. */
    Set<Step> answers();

    /**
     * The steps this handler has no use for, {@code DATA} and {@code UNKNOWN} only: the MTA
     * is asked not to send them (a packet or two fewer per mail).
     */
    default Set<Step> ignores() {
        return Set.of();
    }

    /**
     * The macros this handler reads, by the stage they are to come with ({@link Milter#SMFIM_CONNECT},
     * ...), each a space-separated list ({@code "i {auth_type}"}). They are asked for in the option
     * negotiation where the MTA allows it (protocol 6, {@link Milter#SMFIF_SETSYMLIST}): the MTA then
     * sends these and no others at that stage. A stage not named keeps the MTA's own list, as does
     * an MTA that does not allow it.
     */
    default Map<Integer, String> macros() {
        return Map.of();
    }

    /** The modifications ({@code SMFIF_*}) this handler may ask for at the end of the body. */
    int actions();

    /** What was agreed with the MTA; called before any other event of the socket. */
    default void negotiated(Negotiation n) {}

    /** A new SMTP connection: the client's name and address. */
    MilterReply connect(MilterCommand.Connect c, Macros macros);

    MilterReply helo(String name, Macros macros);

    /** A new message: the sender and its ESMTP parameters. */
    MilterReply mail(List<String> args, Macros macros);

    /** A recipient of the message; a refusal refuses this recipient only. */
    MilterReply rcpt(List<String> args, Macros macros);

    MilterReply data(Macros macros);

    MilterReply header(String name, String value, Macros macros);

    MilterReply endOfHeaders(Macros macros);

    MilterReply body(byte[] chunk, Macros macros);

    /**
     * The message is complete: the modifications, then exactly one decision (continue,
     * accept, reject, tempfail, discard or a reply code), last.
     */
    List<MilterReply> endOfMessage(Macros macros);

    /** The message is off; the connection goes on (a new MAIL may follow). */
    void abort();

    MilterReply unknown(String command, Macros macros);

    /** The SMTP connection ended (QUIT, QUIT_NC, or the socket went away); a message still open is off. */
    void disconnect();

    /** The socket is closed: release everything. Called once, last. */
    @Override
    default void close() {}
}
