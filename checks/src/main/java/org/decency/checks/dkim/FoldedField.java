package org.decency.checks.dkim;

/**
 * Builds a header field value folded by hand (CRLF and a tab), lines of at most 76
 * characters where a piece allows: a DKIM signature must be written exactly as it was
 * hashed, so it is folded before it is signed and never again after.
 */
final class FoldedField {
    private static final int WIDTH = 76;
    private final StringBuilder value = new StringBuilder(512);
    private int line;

    /** @param nameLength the length of {@code Name: } before the value on the first line */
    FoldedField(int nameLength) {
        this.line = nameLength;
    }

    /** Adds {@code piece}, after a space on the same line when it fits, else on a new line. */
    FoldedField add(String piece) {
        return add(piece, " ");
    }

    /** Adds {@code piece} right after what is there when it fits (inside a list), else on a new line. */
    FoldedField append(String piece) {
        return add(piece, "");
    }

    /** Adds {@code text} (without blanks, e.g. base64) spread over as many lines as it takes. */
    FoldedField spread(String text) {
        int i = 0;
        while (i < text.length()) {
            int room = WIDTH - line;
            if (room <= 8) {
                newLine();
                room = WIDTH - line;
            }
            int n = Math.min(room, text.length() - i);
            value.append(text, i, i + n);
            line += n;
            i += n;
        }
        return this;
    }

    private FoldedField add(String piece, String separator) {
        if (value.isEmpty()) {
            value.append(piece);
            line += piece.length();
        } else if (line + separator.length() + piece.length() <= WIDTH) {
            value.append(separator).append(piece);
            line += separator.length() + piece.length();
        } else {
            newLine();
            value.append(piece);
            line += piece.length();
        }
        return this;
    }

    private void newLine() {
        value.append("\r\n\t");
        line = 1;
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
