package org.decency.doorman;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits the byte stream into policy requests: {@code name=value} lines, an empty line
 * ends a request. Never trusts the peer: an over-long line or request, a line without
 * {@code =}, or control bytes make a broken request (answered DUNNO, then the
 * connection is closed, since the framing can no longer be trusted).
 */
final class PolicyRequestDecoder extends ByteToMessageDecoder {
    private final PolicyLimits limits;
    private Map<String, String> attributes = newAttributes();
    /** The bytes that arrived, copied out of Netty's buffer for parsing. */
    private byte[] chunk = new byte[2048];
    private int requestBytes;
    private boolean failed;

    PolicyRequestDecoder(PolicyLimits limits) {
        this.limits = limits;
    }

    /** Bytes of a request begun but not ended (for stall and disconnect reports). */
    int bufferedBytes() {
        return requestBytes + (internalBuffer() == null ? 0 : internalBuffer().readableBytes());
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // Copy what arrived into a byte[] once and parse there: Netty's per-byte and
        // per-line accessors on a direct buffer cost far more than the parsing itself.
        int n = in.readableBytes();
        if (chunk.length < n) chunk = new byte[Math.max(n, chunk.length * 2)];
        in.getBytes(in.readerIndex(), chunk, 0, n);
        int pos = 0;
        while (!failed) {
            int eol = indexOf(chunk, pos, n, (byte) '\n');
            if (eol < 0) {
                if (n - pos > limits.maxLineLength()) fail(out, "line longer than " + limits.maxLineLength() + " bytes");
                break;
            }
            int len = eol - pos;
            if (len > limits.maxLineLength()) {
                fail(out, "line longer than " + limits.maxLineLength() + " bytes");
                break;
            }
            int end = len > 0 && chunk[eol - 1] == '\r' ? eol - 1 : eol;
            requestBytes += len + 1;
            if (end == pos) {
                pos = eol + 1;
                if (!attributes.isEmpty()) {
                    out.add(PolicyRequest.of(attributes));
                    attributes = newAttributes();
                }
                requestBytes = 0;
                continue;
            }
            if (requestBytes > limits.maxRequestBytes()) {
                fail(out, "request larger than " + limits.maxRequestBytes() + " bytes");
                break;
            }
            String problem = addAttribute(chunk, pos, end);
            pos = eol + 1;
            if (problem != null) {
                fail(out, problem);
                break;
            }
        }
        in.skipBytes(failed ? in.readableBytes() : pos);
    }

    private static int indexOf(byte[] b, int from, int to, byte v) {
        for (int i = from; i < to; i++) if (b[i] == v) return i;
        return -1;
    }

    /** Adds the attribute in {@code b[from, to)}; returns the problem when the line is not a valid one. */
    private String addAttribute(byte[] b, int from, int to) {
        int eq = -1;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if ((c >= 0 && c < 0x20 && c != '\t') || c == 0x7f) return "control byte 0x" + Integer.toHexString(c) + " in a line";
            if (c == '=' && eq < 0) eq = i;
        }
        if (eq <= from) return "line without name=value: \"" + abbreviate(new String(b, from, to - from, StandardCharsets.UTF_8)) + "\"";
        if (attributes.size() >= limits.maxAttributes()) return "more than " + limits.maxAttributes() + " attributes";
        String name = AttributeNames.name(b, from, eq - from);
        int valueLen = to - eq - 1;
        attributes.put(name, valueLen == 0 ? "" : new String(b, eq + 1, valueLen, StandardCharsets.UTF_8));
        return null;
    }

    private void fail(List<Object> out, String problem) {
        failed = true;
        requestBytes = 0;
        attributes = newAttributes();
        out.add(PolicyRequest.broken(problem, true));
    }

    /** Postfix sends about 30 attributes; sized so the map never grows while filling. */
    private static Map<String, String> newAttributes() {
        return new HashMap<>(64);
    }

    static String abbreviate(String s) {
        String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "..." : clean;
    }
}
