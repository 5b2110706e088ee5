package org.decency.defender.milter;

/**
 * The numbers of the Sendmail milter protocol, version 6, as libmilter's {@code mfdef.h}
 * defines them and Postfix speaks them: the commands the MTA sends ({@code SMFIC_*}),
 * the replies a filter sends ({@code SMFIR_*}), the modifications a filter may ask for
 * ({@code SMFIF_*}, negotiated) and the protocol steps ({@code SMFIP_*}, negotiated:
 * steps the MTA leaves out, and steps the filter does not answer).
 *
 * <p>On the wire every packet is a 4-byte big-endian length (command byte included),
 * the command byte and the data; strings are NUL-terminated, numbers 32-bit big-endian.
 */
public final class Milter {
    private Milter() {}

    /** The protocol version we speak. */
    public static final int VERSION = 6;

    // Commands, MTA to filter.
    public static final byte SMFIC_ABORT = 'A';
    public static final byte SMFIC_BODY = 'B';
    public static final byte SMFIC_CONNECT = 'C';
    public static final byte SMFIC_MACRO = 'D';
    public static final byte SMFIC_BODYEOB = 'E';
    public static final byte SMFIC_HELO = 'H';
    public static final byte SMFIC_QUIT_NC = 'K';
    public static final byte SMFIC_HEADER = 'L';
    public static final byte SMFIC_MAIL = 'M';
    public static final byte SMFIC_EOH = 'N';
    public static final byte SMFIC_OPTNEG = 'O';
    public static final byte SMFIC_QUIT = 'Q';
    public static final byte SMFIC_RCPT = 'R';
    public static final byte SMFIC_DATA = 'T';
    public static final byte SMFIC_UNKNOWN = 'U';

    // Replies, filter to MTA.
    public static final byte SMFIR_ADDRCPT = '+';
    public static final byte SMFIR_DELRCPT = '-';
    public static final byte SMFIR_ADDRCPT_PAR = '2';
    public static final byte SMFIR_ACCEPT = 'a';
    public static final byte SMFIR_REPLBODY = 'b';
    public static final byte SMFIR_CONTINUE = 'c';
    public static final byte SMFIR_DISCARD = 'd';
    public static final byte SMFIR_ADDHEADER = 'h';
    public static final byte SMFIR_INSHEADER = 'i';
    public static final byte SMFIR_CHGHEADER = 'm';
    public static final byte SMFIR_PROGRESS = 'p';
    public static final byte SMFIR_QUARANTINE = 'q';
    public static final byte SMFIR_REJECT = 'r';
    public static final byte SMFIR_SKIP = 's';
    public static final byte SMFIR_TEMPFAIL = 't';
    public static final byte SMFIR_REPLYCODE = 'y';

    // Modifications the filter may ask for (negotiated).
    public static final int SMFIF_ADDHDRS = 0x01;
    public static final int SMFIF_CHGBODY = 0x02;
    public static final int SMFIF_ADDRCPT = 0x04;
    public static final int SMFIF_DELRCPT = 0x08;
    public static final int SMFIF_CHGHDRS = 0x10;
    public static final int SMFIF_QUARANTINE = 0x20;
    public static final int SMFIF_CHGFROM = 0x40;
    public static final int SMFIF_ADDRCPT_PAR = 0x80;
    public static final int SMFIF_SETSYMLIST = 0x100;

    // Protocol steps (negotiated): what the MTA leaves out, what the filter does not answer.
    public static final int SMFIP_NOCONNECT = 0x01;
    public static final int SMFIP_NOHELO = 0x02;
    public static final int SMFIP_NOMAIL = 0x04;
    public static final int SMFIP_NORCPT = 0x08;
    public static final int SMFIP_NOBODY = 0x10;
    public static final int SMFIP_NOHDRS = 0x20;
    public static final int SMFIP_NOEOH = 0x40;
    public static final int SMFIP_NR_HDR = 0x80;
    public static final int SMFIP_NOUNKNOWN = 0x100;
    public static final int SMFIP_NODATA = 0x200;
    public static final int SMFIP_SKIP = 0x400;
    public static final int SMFIP_RCPT_REJ = 0x800;
    public static final int SMFIP_NR_CONN = 0x1000;
    public static final int SMFIP_NR_HELO = 0x2000;
    public static final int SMFIP_NR_MAIL = 0x4000;
    public static final int SMFIP_NR_RCPT = 0x8000;
    public static final int SMFIP_NR_DATA = 0x10000;
    public static final int SMFIP_NR_UNKN = 0x20000;
    public static final int SMFIP_NR_EOH = 0x40000;
    public static final int SMFIP_NR_BODY = 0x80000;
    public static final int SMFIP_HDR_LEADSPC = 0x100000;

    // The stages a macro list of the option negotiation is for (SMFIF_SETSYMLIST).
    public static final int SMFIM_CONNECT = 0;
    public static final int SMFIM_HELO = 1;
    public static final int SMFIM_ENVFROM = 2;
    public static final int SMFIM_ENVRCPT = 3;
    public static final int SMFIM_DATA = 4;
    public static final int SMFIM_EOM = 5;
    public static final int SMFIM_EOH = 6;

    // Address families in SMFIC_CONNECT.
    public static final byte SMFIA_UNKNOWN = 'U';
    public static final byte SMFIA_UNIX = 'L';
    public static final byte SMFIA_INET = '4';
    public static final byte SMFIA_INET6 = '6';

    /** The largest body chunk the MTA sends and we send back (libmilter's MILTER_CHUNK_SIZE). */
    public static final int CHUNK_SIZE = 65535;

    /** {@code 'C' (0x43)}: a command byte for a log line. */
    static String describe(byte command) {
        int c = command & 0xff;
        return (c >= 0x21 && c < 0x7f ? "'" + (char) c + "' " : "") + String.format("(0x%02x)", c);
    }
}
