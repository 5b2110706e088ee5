package org.decency.defender;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.decency.defender.milter.Milter;

/**
 * The MTA side of the milter protocol, as Postfix 3 speaks it (version 6, every
 * modification offered, every step offered), for tests that want to see the exact bytes
 * of the Defender's replies: it sends what the test says, waits for a reply only where
 * the negotiation says one comes, and reads the end of the body up to the decision.
 */
final class MtaClient implements AutoCloseable {
    static final int POSTFIX_ACTIONS = 0x1ff;
    static final int POSTFIX_STEPS = 0x1fffff;

    /** One reply: its code and data; {@link #text()} reads the data as NUL-separated strings. */
    record Reply(char code, byte[] data) {
        String text() {
            String s = new String(data, StandardCharsets.ISO_8859_1);
            return s.endsWith("\0") ? s.substring(0, s.length() - 1).replace('\0', '|') : s.replace('\0', '|');
        }

        /** {@code a}, {@code y:554 5.7.1 text}, {@code h:Name=value}, {@code m:1:Name=value}, {@code i:0:Name=value}. */
        @Override
        public String toString() {
            if (code == 'h') return "h:" + text().replaceFirst("\\|", "=");
            if (code == 'm' || code == 'i') {
                String rest = new String(data, 4, data.length - 4, StandardCharsets.ISO_8859_1);
                rest = rest.substring(0, rest.length() - 1).replaceFirst("\0", "=");
                return code + ":" + int32(data, 0) + ":" + rest;
            }
            return code + (data.length == 0 ? "" : ":" + text());
        }
    }

    private final java.io.Closeable socket;
    private final DataInputStream in;
    private final OutputStream out;
    int version;
    int actions;
    int protocol;
    /** The macro lists the filter asked for, by stage ({@code SMFIM_*}), in the order sent. */
    final java.util.Map<Integer, String> macroLists = new java.util.LinkedHashMap<>();

    MtaClient(int port) {
        try {
            Socket s = new Socket("127.0.0.1", port);
            s.setSoTimeout(20_000);
            socket = s;
            in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
            out = s.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Over a unix-domain socket (no read timeout there: the test's own bounds it). */
    MtaClient(java.nio.file.Path unixSocket) {
        try {
            java.nio.channels.SocketChannel s = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(unixSocket));
            socket = s;
            in = new DataInputStream(new BufferedInputStream(java.nio.channels.Channels.newInputStream(s)));
            out = java.nio.channels.Channels.newOutputStream(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    MtaClient negotiate() {
        return negotiate(6, POSTFIX_ACTIONS, POSTFIX_STEPS);
    }

    MtaClient negotiate(int v, int a, int p) {
        write(new byte[0], 'O', concat(int32(v), int32(a), int32(p)));
        Reply r = read();
        if (r.code() != 'O') throw new AssertionError("negotiation answered " + r);
        version = int32(r.data(), 0);
        actions = int32(r.data(), 4);
        protocol = int32(r.data(), 8);
        byte[] d = r.data();
        for (int at = 12; at < d.length; ) {
            int stage = int32(d, at);
            int end = at + 4;
            while (d[end] != 0) end++;
            macroLists.put(stage, new String(d, at + 4, end - at - 4, StandardCharsets.US_ASCII));
            at = end + 1;
        }
        return this;
    }

    boolean agreed(int step) {
        return (protocol & step) == step;
    }

    /** The macros for the next command, then the command; its reply, or null when the step was agreed without one. */
    Reply command(char cmd, byte[] data, int noReply, String... macros) {
        byte[] m = new byte[0];
        if (macros.length > 0) {
            byte[] body = concat(new byte[] {(byte) cmd}, cstrings(macros));
            m = frame('D', body);
        }
        write(m, cmd, data);
        return noReply != 0 && agreed(noReply) ? null : read();
    }

    Reply connect(String host, String ip, String... macros) {
        byte[] d = concat(cstrings(host), new byte[] {(byte) (ip.contains(":") ? '6' : '4'), (byte) 0x9c, 0x40}, cstrings(ip));
        return command('C', d, Milter.SMFIP_NR_CONN, macros);
    }

    Reply helo(String name, String... macros) {
        return command('H', cstrings(name), Milter.SMFIP_NR_HELO, macros);
    }

    Reply mail(String... args) {
        return command('M', cstrings(args), Milter.SMFIP_NR_MAIL);
    }

    Reply mailWith(String[] macros, String... args) {
        return command('M', cstrings(args), Milter.SMFIP_NR_MAIL, macros);
    }

    Reply rcpt(String... args) {
        return command('R', cstrings(args), Milter.SMFIP_NR_RCPT);
    }

    Reply data() {
        return command('T', new byte[0], Milter.SMFIP_NR_DATA);
    }

    /** A header field as Postfix sends it: the space after the colon kept when agreed. */
    Reply header(String name, String value) {
        String v = agreed(Milter.SMFIP_HDR_LEADSPC) ? " " + value : value;
        return command('L', cstrings(name, v), Milter.SMFIP_NR_HDR);
    }

    Reply eoh() {
        return command('N', new byte[0], Milter.SMFIP_NR_EOH);
    }

    Reply body(String chunk) {
        return body(chunk.getBytes(StandardCharsets.ISO_8859_1));
    }

    Reply body(byte[] chunk) {
        return command('B', chunk, Milter.SMFIP_NR_BODY);
    }

    /** The end of the body: every reply up to and including the decision. */
    List<Reply> eom(String... macros) {
        byte[] m = macros.length == 0 ? new byte[0] : frame('D', concat(new byte[] {'E'}, cstrings(macros)));
        write(m, 'E', new byte[0]);
        List<Reply> out = new ArrayList<>();
        while (true) {
            Reply r = read();
            out.add(r);
            if ("acrtdy".indexOf(r.code()) >= 0) return out;
        }
    }

    void abort() {
        write(new byte[0], 'A', new byte[0]);
    }

    void quit() {
        write(new byte[0], 'Q', new byte[0]);
    }

    void quitNewConnection() {
        write(new byte[0], 'K', new byte[0]);
    }

    /** Raw bytes, for hostile tests. */
    void raw(byte[] b) {
        try {
            out.write(b);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the Defender closed the connection (reads until end of stream). */
    boolean closedByPeer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    Reply read() {
        try {
            int n = in.readInt();
            int code = in.readUnsignedByte();
            byte[] d = new byte[n - 1];
            in.readFully(d);
            return new Reply((char) code, d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(byte[] prefix, char cmd, byte[] data) {
        raw(concat(prefix, frame(cmd, data)));
    }

    static byte[] frame(char cmd, byte[] data) {
        return concat(int32(data.length + 1), new byte[] {(byte) cmd}, data);
    }

    static byte[] cstrings(String... s) {
        byte[] out = new byte[0];
        for (String x : s) out = concat(out, x.getBytes(StandardCharsets.ISO_8859_1), new byte[] {0});
        return out;
    }

    static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    static int int32(byte[] d, int at) {
        return ((d[at] & 0xff) << 24) | ((d[at + 1] & 0xff) << 16) | ((d[at + 2] & 0xff) << 8) | (d[at + 3] & 0xff);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int i = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
