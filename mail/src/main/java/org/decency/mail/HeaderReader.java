package org.decency.mail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.decency.message.HeaderField;

/**
 * Reads the header of a mail (up to the first empty line) into its fields, keeping each
 * field's folded lines as they were. Tolerant of what real mail holds: bare LF line ends,
 * 8-bit bytes (read as UTF-8, invalid sequences replaced), a first line that is no
 * field, no header at all.
 */
final class HeaderReader {
    private HeaderReader() {}

    /** The fields of the header of {@code in}, reading at most {@code maxBytes}. */
    static List<HeaderField> read(InputStream in, int maxBytes) throws IOException {
        List<HeaderField> fields = new ArrayList<>();
        StringBuilder field = null;
        int total = 0;
        while (total < maxBytes) {
            byte[] line = readLine(in, maxBytes - total);
            if (line == null) break;
            total += line.length;
            String text = stripEol(new String(line, StandardCharsets.UTF_8));
            if (text.isEmpty()) break; // the end of the header
            boolean continuation = text.charAt(0) == ' ' || text.charAt(0) == '\t';
            if (continuation && field != null) {
                field.append("\r\n").append(text);
                continue;
            }
            if (field != null) add(fields, field.toString());
            field = new StringBuilder(text);
        }
        if (field != null) add(fields, field.toString());
        return fields;
    }

    private static void add(List<HeaderField> fields, String raw) {
        int colon = raw.indexOf(':');
        if (colon <= 0) return; // not a field: a mbox "From " line, or junk
        String name = raw.substring(0, colon).strip();
        if (name.isEmpty() || name.contains(" ")) return;
        fields.add(new HeaderField(name, raw));
    }

    private static String stripEol(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) end--;
        return s.substring(0, end);
    }

    /** One line with its line end, or null at the end of the stream. */
    private static byte[] readLine(InputStream in, int max) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (c == '\n' || b.size() >= max) break;
        }
        return b.size() == 0 && c < 0 ? null : b.toByteArray();
    }
}
