package org.decency.detective;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.decency.message.MailMessage;
import org.decency.message.MessageEdits;

/**
 * Writes a spooled mail with the run's edits applied, streaming: the added fields on
 * top (in order), then the mail's own header without the removed fields, with replaced
 * fields written once where their first occurrence stood (or at the end of the header when missing) and
 * the subject prefixed, then the body byte for byte. The mail is never held in memory.
 */
final class MessageWriter {
    private static final int MAX_LINE = 64 * 1024;

    private MessageWriter() {}

    static void write(MailMessage mail, MessageEdits edits, OutputStream out) throws IOException {
        try (InputStream in = new BufferedInputStream(mail.open(), 65536)) {
            for (MessageEdits.Field f : edits.added()) field(out, f.name(), f.value());
            Set<String> removed = edits.removed();
            List<MessageEdits.Field> replaced = edits.replaced();
            Set<String> replacedDone = new HashSet<>();
            boolean subjectDone = edits.subjectPrefix().isEmpty();
            // line by line, so a field of any length streams through: only a field's first line decides its fate
            boolean keep = true; // the current field's lines go out as they are
            boolean inLine = false; // the last piece read ended inside a (very long) line
            byte[] line;
            while ((line = nextLine(in)) != null) {
                boolean lineEnds = line[line.length - 1] == '\n';
                if (inLine || line[0] == ' ' || line[0] == '\t') {
                    if (keep) out.write(line); // the rest of a long line, or a continuation line of the field
                } else if (blank(line)) {
                    break; // the empty line: the header ends
                } else {
                    String name = name(line);
                    String lower = name.toLowerCase(Locale.ROOT);
                    MessageEdits.Field replacement = replaced.stream().filter(r -> r.name().equalsIgnoreCase(name)).findFirst().orElse(null);
                    keep = false;
                    if (replacement != null) {
                        if (replacedDone.add(lower)) {
                            boolean prefix = !subjectDone && lower.equals("subject");
                            field(out, replacement.name(), prefix ? edits.subjectPrefix() + " " + replacement.value() : replacement.value());
                            subjectDone |= prefix;
                        }
                    } else if (!lower.isEmpty() && removed.contains(lower)) {
                        // dropped with its continuation lines
                    } else if (!subjectDone && lower.equals("subject")) {
                        out.write(prefixed(line, edits.subjectPrefix()));
                        subjectDone = true;
                        keep = true;
                    } else {
                        out.write(line);
                        keep = true;
                    }
                }
                inLine = !lineEnds;
            }
            if (inLine && keep) out.write(new byte[] {'\r', '\n'}); // a header cut off without a line end
            for (MessageEdits.Field r : replaced) {
                if (replacedDone.contains(r.name().toLowerCase(Locale.ROOT))) continue;
                boolean prefix = !subjectDone && r.name().equalsIgnoreCase("subject");
                field(out, r.name(), prefix ? edits.subjectPrefix() + " " + r.value() : r.value());
                subjectDone |= prefix;
            }
            if (!subjectDone) field(out, "Subject", edits.subjectPrefix());
            out.write(new byte[] {'\r', '\n'});
            in.transferTo(out);
        }
    }

    private static void field(OutputStream out, String name, String value) throws IOException {
        // a line break not followed by white space (a check's text) would end the field, or the header,
        // early; a fold (a DKIM-Signature's, whose bytes are signed) stays, as CRLF
        String v = value.replaceAll("[\r\n]++(?![ \t])", " ").replaceAll("[\r\n]+", "\r\n");
        out.write((fold(name + ": " + v) + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Folds a long field before spaces so no line is longer than 78 characters where
     * avoidable (RFC 5322 2.1.1); the space starts the next line, so unfolding gives the
     * value back unchanged. A field that is already folded (a DKIM-Signature, whose bytes
     * are signed as they are) is left as it is.
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
                b.append(field, lineStart, lastSpace).append("\r\n");
                lineStart = lastSpace;
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

    /** The next line with its line end, at most {@link #MAX_LINE} bytes of it (the rest comes next); null at the end. */
    private static byte[] nextLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (c == '\n' || b.size() >= MAX_LINE) break;
        }
        return b.size() == 0 ? null : b.toByteArray();
    }

    /** Only a line end (CRLF, LF, or a stray CR before it). */
    private static boolean blank(byte[] line) {
        for (byte x : line) if (x != '\r' && x != '\n') return false;
        return true;
    }
}
