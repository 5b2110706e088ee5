package org.decency.defender.milter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command from the MTA, decoded from its {@link Packet}. Strings are <em>wire
 * strings</em>: each char is one byte as sent (ISO-8859-1), so header fields and
 * addresses in UTF-8 or any 8-bit charset come back out byte for byte;
 * {@link Wire#text} reads one as UTF-8 where its meaning is needed.
 */
public sealed interface MilterCommand {

    /** {@code SMFIC_OPTNEG}: the MTA's protocol version, the modifications it allows, the steps it offers. */
    record OptNeg(int version, int actions, int protocol) implements MilterCommand {}

    /** {@code SMFIC_MACRO}: macros for the command {@code stage} that follows (e.g. {@code 'M'}: i, {auth_authen}). */
    record Macro(byte stage, Map<String, String> macros) implements MilterCommand {
        public Macro {
            macros = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(macros));
        }
    }

    /**
     * {@code SMFIC_CONNECT}: the client's host name ({@code [address]} when it has none),
     * the address family ({@link Milter#SMFIA_INET}, ...), its port and address (empty for an unknown family).
     */
    record Connect(String hostname, byte family, int port, String address) implements MilterCommand {}

    /** {@code SMFIC_HELO}: the name the client gave in HELO or EHLO. */
    record Helo(String name) implements MilterCommand {}

    /** {@code SMFIC_MAIL}: the sender ({@code <a@b>}) and its ESMTP parameters ({@code SIZE=123}). */
    record Mail(List<String> args) implements MilterCommand {
        public Mail {
            args = List.copyOf(args);
        }
    }

    /** {@code SMFIC_RCPT}: one recipient ({@code <a@b>}) and its ESMTP parameters. */
    record Rcpt(List<String> args) implements MilterCommand {
        public Rcpt {
            args = List.copyOf(args);
        }
    }

    /** {@code SMFIC_DATA}. */
    record Data() implements MilterCommand {}

    /** {@code SMFIC_HEADER}: one header field; folded lines are separated by a bare LF. */
    record Header(String name, String value) implements MilterCommand {}

    /** {@code SMFIC_EOH}: the header is complete. */
    record EndOfHeaders() implements MilterCommand {}

    /** {@code SMFIC_BODY}: a chunk of the body, as sent (CRLF line ends). */
    record Body(byte[] chunk) implements MilterCommand {}

    /** {@code SMFIC_BODYEOB}: the end of the message; Sendmail may send a last chunk with it. */
    record EndOfBody(byte[] chunk) implements MilterCommand {}

    /** {@code SMFIC_ABORT}: the message is off (RSET, a new MAIL, an error); the connection goes on. */
    record Abort() implements MilterCommand {}

    /** {@code SMFIC_QUIT}: the connection ends. */
    record Quit() implements MilterCommand {}

    /** {@code SMFIC_QUIT_NC}: this SMTP connection ends, the next one comes on the same socket. */
    record QuitNewConnection() implements MilterCommand {}

    /** {@code SMFIC_UNKNOWN}: an SMTP command the MTA did not know, as the client sent it. */
    record Unknown(String command) implements MilterCommand {}

    /** Decodes a packet; a malformed one or an unknown command is a {@link MilterProtocolException}. */
    static MilterCommand decode(Packet p) throws MilterProtocolException {
        byte[] d = p.data();
        return switch (p.command()) {
            case Milter.SMFIC_OPTNEG -> {
                if (d.length < 12) throw malformed(p, "needs 12 bytes (version, actions, steps), got " + d.length);
                yield new OptNeg(int32(d, 0), int32(d, 4), int32(d, 8));
            }
            case Milter.SMFIC_MACRO -> {
                if (d.length < 1) throw malformed(p, "no command byte for its macros");
                List<String> s = strings(p, 1);
                Map<String, String> m = new LinkedHashMap<>();
                for (int i = 0; i + 1 < s.size(); i += 2) m.put(s.get(i), s.get(i + 1));
                yield new Macro(d[0], m);
            }
            case Milter.SMFIC_CONNECT -> connect(p);
            case Milter.SMFIC_HELO -> new Helo(exactly(p, 1).getFirst());
            case Milter.SMFIC_MAIL -> new Mail(atLeastOne(p));
            case Milter.SMFIC_RCPT -> new Rcpt(atLeastOne(p));
            case Milter.SMFIC_DATA -> new Data();
            case Milter.SMFIC_HEADER -> {
                List<String> s = exactly(p, 2);
                yield new Header(s.get(0), s.get(1));
            }
            case Milter.SMFIC_EOH -> new EndOfHeaders();
            case Milter.SMFIC_BODY -> new Body(d);
            case Milter.SMFIC_BODYEOB -> new EndOfBody(d);
            case Milter.SMFIC_ABORT -> new Abort();
            case Milter.SMFIC_QUIT -> new Quit();
            case Milter.SMFIC_QUIT_NC -> new QuitNewConnection();
            case Milter.SMFIC_UNKNOWN -> new Unknown(d.length == 0 ? "" : exactly(p, 1).getFirst());
            default -> throw new MilterProtocolException("unknown command " + Milter.describe(p.command()) + " with "
                    + d.length + " data bytes");
        };
    }

    private static Connect connect(Packet p) throws MilterProtocolException {
        byte[] d = p.data();
        int end = nul(p, 0);
        String host = wire(d, 0, end);
        int i = end + 1;
        if (i >= d.length) throw malformed(p, "no address family");
        byte family = d[i++];
        if (family == Milter.SMFIA_UNKNOWN) return new Connect(host, family, 0, "");
        if (family != Milter.SMFIA_INET && family != Milter.SMFIA_INET6 && family != Milter.SMFIA_UNIX) {
            throw malformed(p, "unknown address family " + Milter.describe(family));
        }
        if (i + 2 > d.length) throw malformed(p, "no port");
        int port = ((d[i] & 0xff) << 8) | (d[i + 1] & 0xff);
        i += 2;
        int addrEnd = nul(p, i);
        if (addrEnd != d.length - 1) throw malformed(p, (d.length - 1 - addrEnd) + " bytes after the address");
        return new Connect(host, family, port, wire(d, i, addrEnd));
    }

    private static List<String> atLeastOne(Packet p) throws MilterProtocolException {
        List<String> s = strings(p, 0);
        if (s.isEmpty()) throw malformed(p, "no address");
        return s;
    }

    private static List<String> exactly(Packet p, int n) throws MilterProtocolException {
        List<String> s = strings(p, 0);
        if (s.size() != n) throw malformed(p, "expected " + n + " string(s), got " + s.size());
        return s;
    }

    /** The NUL-terminated strings from {@code from} to the end; the data must end with a NUL. */
    private static List<String> strings(Packet p, int from) throws MilterProtocolException {
        byte[] d = p.data();
        List<String> out = new ArrayList<>();
        int i = from;
        while (i < d.length) {
            int end = nul(p, i);
            out.add(wire(d, i, end));
            i = end + 1;
        }
        return out;
    }

    private static int nul(Packet p, int from) throws MilterProtocolException {
        byte[] d = p.data();
        for (int i = from; i < d.length; i++) if (d[i] == 0) return i;
        throw malformed(p, "a string without its NUL terminator");
    }

    private static String wire(byte[] d, int from, int to) {
        return new String(d, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static int int32(byte[] d, int at) {
        return ((d[at] & 0xff) << 24) | ((d[at + 1] & 0xff) << 16) | ((d[at + 2] & 0xff) << 8) | (d[at + 3] & 0xff);
    }

    private static MilterProtocolException malformed(Packet p, String why) {
        return new MilterProtocolException("malformed " + Milter.describe(p.command()) + " packet: " + why);
    }
}
