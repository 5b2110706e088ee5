package org.decency.defender.milter;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads milter packets from a stream: a 4-byte big-endian length (1 or more: the command
 * byte counts), the command byte, the data. The peer is not trusted: a length under 1 or
 * over the limit and a packet cut off are {@link MilterProtocolException}s, and the data
 * is read as it arrives, so a length that lies costs no more memory than what was sent.
 */
public final class PacketReader {
    private final InputStream in;
    private final int maxPacket;

    /** @param maxPacket the largest length word accepted (command byte and data) */
    public PacketReader(InputStream in, int maxPacket) {
        if (maxPacket < 1) throw new IllegalArgumentException("maxPacket must be at least 1");
        this.in = in;
        this.maxPacket = maxPacket;
    }

    /** The next packet, or null when the stream ends cleanly between packets. */
    public Packet next() throws IOException {
        byte[] head = in.readNBytes(4);
        if (head.length == 0) return null;
        if (head.length < 4) throw new MilterProtocolException("packet cut off in its length (" + head.length + " of 4 bytes)");
        int length = ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8) | (head[3] & 0xff);
        if (length < 1) throw new MilterProtocolException("bad packet length " + length);
        if (length > maxPacket) {
            throw new MilterProtocolException("packet of " + Integer.toUnsignedString(length) + " bytes is over max_packet_size ("
                    + maxPacket + ")");
        }
        int command = in.read();
        if (command < 0) throw new MilterProtocolException("packet cut off before its command byte");
        byte[] data = length == 1 ? new byte[0] : readFully(length - 1, (byte) command);
        return new Packet((byte) command, data);
    }

    private byte[] readFully(int n, byte command) throws IOException {
        byte[] data = in.readNBytes(n); // grows with what arrives, not with what was announced
        if (data.length < n) {
            throw new MilterProtocolException("packet " + Milter.describe(command) + " cut off after " + data.length + " of "
                    + n + " data bytes");
        }
        return data;
    }

}
