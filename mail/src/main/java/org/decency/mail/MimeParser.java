package org.decency.mail;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.FieldParser;
import org.apache.james.mime4j.field.LenientFieldParser;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.message.MaximalBodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RecursionMode;
import org.decency.message.MimePart;
import org.decency.message.MimeStructure;

/**
 * Parses a mail's MIME structure with mime4j's streaming parser: every part with its
 * declared type, file name, encoding, decoded size and first bytes, attached messages
 * followed, what mime4j complained about kept as defects, and {@link MimeLimits}
 * enforced. Never throws for bad input: a mail that cannot be parsed further ends its
 * structure where it broke, with a defect saying why.
 */
public final class MimeParser {
    /**
     * mime4j's lenient field parsers: the default (JavaCC) ones throw and catch an exception
     * at the end of every Content-Type they read, a stack trace per field and a tenth of the
     * Defender's CPU per mail; the lenient ones read the same fields without.
     */
    private static final FieldParser<?> FIELDS = LenientFieldParser.getParser();

    private final MimeLimits limits;

    public MimeParser(MimeLimits limits) {
        this.limits = limits;
    }

    /** A part while it is being read. */
    private static final class Builder {
        final int depth;
        String contentType = "text/plain";
        String filename = "";
        String disposition = "";
        String encoding = "";
        long size;
        byte[] head = new byte[0];
        final List<Builder> children = new ArrayList<>();
        final List<String> defects = new ArrayList<>();
        final DefaultBodyDescriptorBuilder header = new DefaultBodyDescriptorBuilder(null, FIELDS, DecodeMonitor.SILENT);

        Builder(int depth) {
            this.depth = depth;
        }

        MimePart build() {
            List<MimePart> kids = new ArrayList<>(children.size());
            for (Builder c : children) kids.add(c.build());
            if (contentType.startsWith("multipart/") && kids.isEmpty()) defects.add("multipart without parts");
            return new MimePart(contentType, filename, disposition, encoding, size, head, depth, kids, defects);
        }
    }

    public MimeStructure parse(InputStream raw) {
        Deque<Builder> open = new ArrayDeque<>();
        Builder[] root = {null};
        List<String> reached = new ArrayList<>();
        List<String> loose = new ArrayList<>();
        DecodeMonitor monitor = new DecodeMonitor() {
            @Override
            public boolean warn(String message, String dropDesc) {
                (open.isEmpty() ? loose : open.peek().defects).add(message);
                return false;
            }

            @Override
            public boolean isListening() {
                return true;
            }
        };
        MimeConfig config = new MimeConfig.Builder().setMaxLineLen(-1).setMaxHeaderLen(-1).setMaxHeaderCount(-1)
                .setMaxContentLen(-1).setStrictParsing(false).build();
        MimeTokenStream stream = new MimeTokenStream(config, monitor, new DefaultBodyDescriptorBuilder(null, FIELDS, DecodeMonitor.SILENT));
        stream.setRecursionMode(RecursionMode.M_RECURSE);
        LimitedInputStream in = new LimitedInputStream(raw, limits.maxBytes());
        int parts = 0;
        int maxDepth = 0;
        try {
            stream.parse(in);
            // At a limit the loop just ends: what was read so far is the structure. (mime4j's stop()
            // is no way out: with much input left, next() then never returns.)
            parse:
            for (EntityState s = stream.getState(); s != EntityState.T_END_OF_STREAM; s = stream.next()) {
                switch (s) {
                    case T_START_MESSAGE, T_START_BODYPART -> {
                        Builder b = new Builder(open.isEmpty() ? 0 : open.peek().depth + 1);
                        String limit = ++parts > limits.maxParts() ? "more than " + limits.maxParts() + " parts"
                                : b.depth > limits.maxDepth() ? "parts nested deeper than " + limits.maxDepth() : null;
                        if (limit != null) {
                            reached.add(limit);
                            break parse;
                        }
                        maxDepth = Math.max(maxDepth, b.depth);
                        if (open.isEmpty()) root[0] = b;
                        else open.peek().children.add(b);
                        open.push(b);
                    }
                    case T_FIELD -> {
                        if (!open.isEmpty()) open.peek().header.addField(new RawField(stream.getField().getName(), stream.getField().getBody()));
                    }
                    case T_END_HEADER -> {
                        if (!open.isEmpty()) describe(open.peek(), (MaximalBodyDescriptor) open.peek().header.build());
                    }
                    case T_BODY -> readBody(open.peek(), stream);
                    case T_END_BODYPART, T_END_MESSAGE -> {
                        if (open.size() > 1) open.pop();
                    }
                    default -> { }
                }
            }
        } catch (IOException | MimeException | RuntimeException e) {
            String why = "unparsable MIME: " + e.getMessage();
            (open.isEmpty() ? loose : open.peek().defects).add(why);
        }
        if (in.exhausted()) reached.add("more than " + limits.maxBytes() + " bytes");
        if (root[0] == null) root[0] = new Builder(0);
        root[0].defects.addAll(0, loose);
        return new MimeStructure(root[0].build(), Math.max(parts, 1), maxDepth, reached);
    }

    private static void describe(Builder b, MaximalBodyDescriptor d) {
        if (b == null || d == null) return;
        if (d.getMimeType() != null) b.contentType = d.getMimeType().toLowerCase(Locale.ROOT);
        if (d.getTransferEncoding() != null) b.encoding = d.getTransferEncoding().toLowerCase(Locale.ROOT);
        if (d.getContentDispositionType() != null) b.disposition = d.getContentDispositionType().toLowerCase(Locale.ROOT);
        String name = d.getContentDispositionFilename();
        if (name == null || name.isBlank()) name = d.getContentTypeParameters().get("name");
        if (name == null || name.isBlank()) name = Rfc2231.value(d.getContentTypeParameters(), "name");
        if (name != null && !name.isBlank()) b.filename = DecoderUtil.decodeEncodedWords(name.strip(), DecodeMonitor.SILENT);
    }

    private void readBody(Builder b, MimeTokenStream stream) {
        if (b == null) return;
        byte[] head = new byte[limits.headBytes()];
        int kept = 0;
        long size = 0;
        byte[] buf = new byte[8192];
        try (InputStream body = stream.getDecodedInputStream()) {
            int n;
            while ((n = body.read(buf)) > 0) {
                if (kept < head.length) {
                    int take = Math.min(n, head.length - kept);
                    System.arraycopy(buf, 0, head, kept, take);
                    kept += take;
                }
                size += n;
            }
        } catch (IOException | RuntimeException e) {
            b.defects.add("body cannot be decoded (" + b.encoding + "): " + e.getMessage());
        }
        b.size = size;
        b.head = Arrays.copyOf(head, kept);
    }

    /** Reads at most {@code max} bytes, then reports the end; remembers that it cut. */
    private static final class LimitedInputStream extends java.io.FilterInputStream {
        private long left;
        private boolean cut;

        LimitedInputStream(InputStream in, long max) {
            super(in);
            this.left = max;
        }

        boolean exhausted() {
            return cut;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) return end();
            int c = super.read();
            if (c >= 0) left--;
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) return end();
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) left -= n;
            return n;
        }

        private int end() throws IOException {
            if (!cut && super.read() >= 0) cut = true;
            return -1;
        }
    }
}
