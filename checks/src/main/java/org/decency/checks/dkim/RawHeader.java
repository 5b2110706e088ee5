package org.decency.checks.dkim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the header of a raw mail as {@link RawField}s, byte for byte, and leaves the
 * stream at the first byte of the body. Bare LF line ends (a mail stored with local line
 * ends) become CRLF, as RFC 6376 5.3 asks before hashing. A line that is no field (an
 * mbox "From " line) is skipped. At most {@code maxBytes} are read as header; a longer
 * header is marked {@link #truncated()}.
 */
public final class RawHeader {
    private final List<RawField> fields;
    private final boolean truncated;

    private RawHeader(List<RawField> fields, boolean truncated) {
        this.fields = List.copyOf(fields);
        this.truncated = truncated;
    }

    public static RawHeader read(InputStream in, int maxBytes) throws IOException {
        List<RawField> fields = new ArrayList<>();
        StringBuilder field = null;
        int total = 0;
        while (true) {
            if (total >= maxBytes) {
                add(fields, field);
                return new RawHeader(fields, true);
            }
            String line = readLine(in, maxBytes - total);
            if (line == null) break;
            total += line.length();
            String text = withoutLineEnd(line);
            if (text.isEmpty()) break; // the blank line: the body follows
            boolean continuation = text.charAt(0) == ' ' || text.charAt(0) == '\t';
            if (continuation && field != null) {
                field.append("\r\n").append(text);
                continue;
            }
            add(fields, field);
            field = continuation ? null : new StringBuilder(text);
        }
        add(fields, field);
        return new RawHeader(fields, false);
    }

    public List<RawField> fields() {
        return fields;
    }

    public boolean truncated() {
        return truncated;
    }

    private static void add(List<RawField> fields, StringBuilder field) {
        if (field == null) return;
        String raw = field.toString();
        int colon = raw.indexOf(':');
        if (colon <= 0) return;
        String name = raw.substring(0, colon).strip();
        if (name.isEmpty() || name.indexOf(' ') >= 0 || name.indexOf('\t') >= 0) return;
        fields.add(new RawField(name, raw));
    }

    /** Strips one line end: CRLF, or a bare LF. */
    private static String withoutLineEnd(String line) {
        if (line.endsWith("\r\n")) return line.substring(0, line.length() - 2);
        if (line.endsWith("\n")) return line.substring(0, line.length() - 1);
        return line;
    }

    /** One line with its line end, one char per byte, or null at the end of the stream. */
    private static String readLine(InputStream in, int max) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c = -1;
        while (b.size() < max && (c = in.read()) >= 0) {
            b.write(c);
            if (c == '\n') break;
        }
        return b.size() == 0 && c < 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }
}
