package org.decency.defender.milter;

import java.nio.charset.StandardCharsets;

/**
 * Wire strings: the milter classes keep protocol strings as one char per byte
 * (ISO-8859-1), so what the MTA sent goes back byte for byte whatever its charset.
 * These two turn them into text and back.
 */
public final class Wire {
    private Wire() {}

    /** The text a wire string carries, read as UTF-8 (bytes that are not UTF-8 become U+FFFD). */
    public static String text(String wire) {
        return new String(wire.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /** The wire string for a text: its UTF-8 bytes. */
    public static String of(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String wire) {
        return wire.getBytes(StandardCharsets.ISO_8859_1);
    }
}
