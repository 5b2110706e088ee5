package org.decency.doorman;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
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
    private Map<String, String> attributes = new LinkedHashMap<>();
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
                    attributes = new LinkedHashMap<>();
                }
                requestBytes = 0;
                continue;
            }
            if (requestBytes > limits.maxRequestBytes()) {
                fail(in, out, "request larger than " + limits.maxRequestBytes() + " bytes");
                return;
            }
            String problem = addAttribute(in, in.readerIndex(), lineLen);
            in.skipBytes(len + 1);
            if (problem != null) {
                fail(in, out, problem);
                return;
            }
        }
        in.skipBytes(in.readableBytes());
    }

    private String addAttribute(ByteBuf in, int from, int len) {
        int eq = -1;
        for (int i = from; i < from + len; i++) {
            byte b = in.getByte(i);
            if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7f) return "control byte 0x" + Integer.toHexString(b) + " in a line";
            if (b == '=' && eq < 0) eq = i;
        }
        if (eq <= from) return "line without name=value: \"" + abbreviate(in.toString(from, len, StandardCharsets.UTF_8)) + "\"";
        if (attributes.size() >= limits.maxAttributes()) return "more than " + limits.maxAttributes() + " attributes";
        String name = AttributeNames.name(in, from, eq - from);
        int valueLen = from + len - eq - 1;
        attributes.put(name, valueLen == 0 ? "" : in.toString(eq + 1, valueLen, StandardCharsets.UTF_8));
        return null;
    }

    private void fail(ByteBuf in, List<Object> out, String problem) {
        failed = true;
        requestBytes = 0;
        in.skipBytes(in.readableBytes());
        attributes = new LinkedHashMap<>();
        out.add(PolicyRequest.broken(problem, true));
    }

    static String abbreviate(String s) {
        String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "..." : clean;
    }
}
