package org.decency.message;

import java.util.Locale;

/**
 * One header field as it stands in the mail: {@code name} as written and {@code raw},
 * the whole field (name, colon, value, folded lines) without the final line break.
 */
public record HeaderField(String name, String raw) {

    /** The value unfolded (line breaks of folding removed) and trimmed; MIME encoded-words left as they are. */
    public String value() {
        int colon = raw.indexOf(':');
        String v = colon < 0 ? "" : raw.substring(colon + 1);
        return v.replace("\r\n", "").replace("\n", "").strip();
    }

    public boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }

    public String lowerName() {
        return name.toLowerCase(Locale.ROOT);
    }
}
