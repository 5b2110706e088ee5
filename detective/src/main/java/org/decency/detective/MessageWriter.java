package org.decency.detective;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.decency.message.MessageEdits;

/**
 * Writes a spooled mail with the run's edits applied, streaming: the added fields on
 * top (in order), then the mail's own header without the removed fields, with replaced
 * fields written once where their first occurrence stood (or on top when missing) and
 * the subject prefixed, then the body byte for byte. The mail is never held in memory.
 */
final class MessageWriter {
    private static final int MAX_FIELD = 1024 * 1024;

    private MessageWriter() {}

    static void write(Path mail, MessageEdits edits, OutputStream out) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(mail), 65536)) {
            for (MessageEdits.Field f : edits.added()) field(out, f.name(), f.value());
            Set<String> removed = edits.removed();
            List<MessageEdits.Field> replaced = edits.replaced();
            Set<String> replacedDone = new HashSet<>();
            boolean subjectDone = edits.subjectPrefix().isEmpty();
            byte[] field;
            while ((field = nextField(in)) != null) {
                if (field.length == 0) break; // the empty line: the header ends
                String name = name(field);
                String lower = name.toLowerCase(Locale.ROOT);
                MessageEdits.Field replacement = replaced.stream().filter(r -> r.name().equalsIgnoreCase(name)).findFirst().orElse(null);
                if (replacement != null) {
                    if (replacedDone.add(lower)) field(out, replacement.name(), replacement.value());
                    continue;
                }
                if (!lower.isEmpty() && removed.contains(lower)) continue;
                if (!subjectDone && lower.equals("subject")) {
                    out.write(prefixed(field, edits.subjectPrefix()));
                    subjectDone = true;
                    continue;
                }
                out.write(field);
            }
            for (MessageEdits.Field r : replaced) {
                if (!replacedDone.contains(r.name().toLowerCase(Locale.ROOT))) field(out, r.name(), r.value());
            }
            if (!subjectDone) field(out, "Subject", edits.subjectPrefix());
            out.write(new byte[] {'\r', '\n'});
            in.transferTo(out);
        }
    }

    private static void field(OutputStream out, String name, String value) throws IOException {
        out.write((fold(name + ": " + value) + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Folds a long field at spaces so no line is longer than 78 characters where avoidable
     * (RFC 5322 2.1.1). A field that is already folded (a DKIM-Signature, whose bytes are
     * signed as they are) is left as it is.
     */
    static String fold(String field) {
        if (field.length() <= 78 || field.indexOf('\n') >= 0) return field;
        StringBuilder b = new StringBuilder(field.length() + 16);
        int lineStart = 0;
        int lastSpace = -1;
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == ' ' && i > lineStart) lastSpace = i;
            if (i - lineStart >= 78 && lastSpace > lineStart) {
                b.append(field, lineStart, lastSpace).append("\r\n\t");
                lineStart = lastSpace + 1;
                lastSpace = -1;
            }
        }
        return b.append(field, lineStart, field.length()).toString();
    }

    /** {@code Subject: X} becomes {@code Subject: PREFIX X}. */
    private static byte[] prefixed(byte[] field, String prefix) {
        int colon = indexOf(field, (byte) ':');
        int start = colon + 1;
        while (start < field.length && field[start] == ' ') start++;
        ByteArrayOutputStream b = new ByteArrayOutputStream(field.length + prefix.length() + 2);
        b.write(field, 0, colon + 1);
        b.writeBytes((" " + prefix + " ").getBytes(StandardCharsets.UTF_8));
        b.write(field, start, field.length - start);
        return b.toByteArray();
    }

    private static String name(byte[] field) {
        int colon = indexOf(field, (byte) ':');
        return colon <= 0 ? "" : new String(field, 0, colon, StandardCharsets.ISO_8859_1).strip();
    }

    private static int indexOf(byte[] b, byte v) {
        for (int i = 0; i < b.length; i++) if (b[i] == v) return i;
        return -1;
    }

    /**
     * The next header field with its continuation lines and line ends, as bytes; an empty
     * array for the blank line that ends the header; null at the end of the mail.
     */
    private static byte[] nextField(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        while (true) {
            in.mark(2);
            int first = in.read();
            if (first < 0) return b.size() == 0 ? null : b.toByteArray();
            boolean continuation = first == ' ' || first == '\t';
            if (b.size() > 0 && !continuation) {
                in.reset();
                return b.toByteArray();
            }
            if (b.size() == 0 && (first == '\r' || first == '\n')) {
                if (first == '\r') {
                    in.mark(1);
                    if (in.read() != '\n') in.reset();
                }
                return new byte[0];
            }
            b.write(first);
            int c;
            while ((c = in.read()) >= 0) {
                if (b.size() < MAX_FIELD) b.write(c);
                if (c == '\n') break;
            }
            if (c < 0) return b.toByteArray();
        }
    }
}
