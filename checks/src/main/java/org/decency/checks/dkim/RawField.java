package org.decency.checks.dkim;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One header field exactly as it stands in the mail, for hashing: {@code text} holds the
 * field's bytes one char per byte (ISO-8859-1), folded lines joined by CRLF, without the
 * final line end. {@code name} is the field name as written, without surrounding blanks.
 */
public record RawField(String name, String text) {

    public boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }

    /** What follows the colon, as written (folding included). */
    public String value() {
        return text.substring(text.indexOf(':') + 1);
    }

    public byte[] bytes() {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    public String lowerName() {
        return name.toLowerCase(Locale.ROOT);
    }
}
