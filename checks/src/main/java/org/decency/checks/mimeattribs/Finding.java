package org.decency.checks.mimeattribs;

/**
 * One fact a rule found, with a detail that names the file. Details end up in logs and
 * header fields: control characters (a file name may carry any, encoded) become
 * {@code ?} and a detail is cut at 200 characters.
 */
record Finding(MimeRule rule, String detail) {
    static final int MAX_DETAIL = 200;

    Finding {
        StringBuilder b = new StringBuilder(Math.min(detail.length(), MAX_DETAIL + 3));
        for (int i = 0; i < detail.length() && b.length() < MAX_DETAIL; i++) {
            char c = detail.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (detail.length() > MAX_DETAIL) b.append("...");
        detail = b.toString();
    }
}
