package org.decency.checks.mimeattribs;

/**
 * The facts MimeAttribs scores, each under its config key and score code, with its
 * default score and (for the counting rules) its default limit.
 */
enum MimeRule {
    BAD_EXTENSION("bad_extension", "MIME_BAD_EXTENSION", -60, 0,
            "an attachment (or an entry of an attached archive) with a dangerous extension"),
    DOUBLE_EXTENSION("double_extension", "MIME_DOUBLE_EXTENSION", -40, 0,
            "a dangerous extension behind a harmless-looking one (invoice.pdf.exe)"),
    TYPE_MISMATCH("type_mismatch", "MIME_TYPE_MISMATCH", -50, 0,
            "an executable or archive declared or named as something else"),
    ENCRYPTED_ARCHIVE("encrypted_archive", "MIME_ENCRYPTED_ARCHIVE", -30, 0,
            "a password-protected ZIP or RAR archive (no scanner can look inside)"),
    MALFORMED("malformed", "MIME_MALFORMED", -5, 0, "the MIME structure is broken"),
    TOO_MANY_PARTS("too_many_parts", "MIME_TOO_MANY_PARTS", -20, 500, "more parts than max"),
    TOO_DEEP("too_deep", "MIME_TOO_DEEP", -20, 10, "parts nested deeper than max"),
    TOO_LARGE("too_large", "MIME_TOO_LARGE", 0, 25L << 20, "the attachments add up to more than max bytes");

    final String key;
    final String code;
    final double defaultScore;
    /** 0 for rules without a limit. */
    final long defaultMax;
    final String meaning;

    MimeRule(String key, String code, double defaultScore, long defaultMax, String meaning) {
        this.key = key;
        this.code = code;
        this.defaultScore = defaultScore;
        this.defaultMax = defaultMax;
        this.meaning = meaning;
    }

    boolean hasLimit() {
        return defaultMax > 0;
    }
}
