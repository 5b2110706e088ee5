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
    /** The current line, copied out of Netty's buffer once: scanning a byte[] is far cheaper than getByte calls. */
    private byte[] line = new byte[512];
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
        while (!failed) {
            int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (eol < 0) {
                if (in.readableBytes() > limits.maxLineLength()) fail(in, out, "line longer than " + limits.maxLineLength() + " bytes");
                return;
            }
            int len = eol - in.readerIndex();
            if (len > limits.maxLineLength()) {
                fail(in, out, "line longer than " + limits.maxLineLength() + " bytes");
                return;
            }
            int end = len > 0 && in.getByte(eol - 1) == '\r' ? eol - 1 : eol;
            int lineLen = end - in.readerIndex();
            requestBytes += len + 1;
            if (lineLen == 0) {
                in.skipBytes(len + 1);
                if (!attributes.isEmpty()) {
                    out.add(PolicyRequest.of(attributes));
                    attributes = newAttributes();
                }
                requestBytes = 0;
                continue;
            }
            if (requestBytes > limits.maxRequestBytes()) {
                fail(in, out, "request larger than " + limits.maxRequestBytes() + " bytes");
                return;
            }
            if (line.length < lineLen) line = new byte[Math.max(lineLen, line.length * 2)];
            in.getBytes(in.readerIndex(), line, 0, lineLen);
            String problem = addAttribute(lineLen);
            in.skipBytes(len + 1);
            if (problem != null) {
                fail(in, out, problem);
                return;
            }
        }
        in.skipBytes(in.readableBytes());
    }

    private String addAttribute(int len) {
        byte[] b = line;
        int eq = -1;
        for (int i = 0; i < len; i++) {
            byte c = b[i];
            if ((c >= 0 && c < 0x20 && c != '\t') || c == 0x7f) return "control byte 0x" + Integer.toHexString(c) + " in a line";
            if (c == '=' && eq < 0) eq = i;
        }
        if (eq <= 0) return "line without name=value: \"" + abbreviate(new String(b, 0, len, StandardCharsets.UTF_8)) + "\"";
        if (attributes.size() >= limits.maxAttributes()) return "more than " + limits.maxAttributes() + " attributes";
        String name = AttributeNames.name(b, 0, eq);
        int valueLen = len - eq - 1;
        attributes.put(name, valueLen == 0 ? "" : new String(b, eq + 1, valueLen, StandardCharsets.UTF_8));
        return null;
    }

    private void fail(ByteBuf in, List<Object> out, String problem) {
        failed = true;
        requestBytes = 0;
        in.skipBytes(in.readableBytes());
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
