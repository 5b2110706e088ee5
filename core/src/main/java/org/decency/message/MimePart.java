package org.decency.message;

import java.util.List;

/**
 * One part of a mail's MIME structure, as far as checks need it: its declared type,
 * file name and transfer encoding, the size and first bytes of its decoded body (to
 * compare the declared type with what the bytes are), its children, and what was wrong
 * with it. The root part is the mail itself.
 *
 * @param contentType lower-case {@code type/subtype} ({@code text/plain} when none is declared)
 * @param filename    the decoded file name from Content-Disposition or Content-Type's name, or empty
 * @param disposition lower-case {@code attachment}, {@code inline} or empty
 * @param encoding    lower-case Content-Transfer-Encoding, or empty
 * @param size        bytes of the decoded body (0 for a multipart)
 * @param head        the first bytes of the decoded body (up to a few hundred; empty for a multipart)
 * @param depth       0 for the mail itself, 1 for its direct parts, ...
 * @param defects     what the parser found wrong (a missing boundary, a bad encoding, ...)
 */
public record MimePart(String contentType, String filename, String disposition, String encoding, long size,
                       byte[] head, int depth, List<MimePart> children, List<String> defects) {

    public MimePart {
        children = List.copyOf(children);
        defects = List.copyOf(defects);
    }

    public boolean isMultipart() {
        return contentType.startsWith("multipart/");
    }

    /** This part and every part below it, depth first. */
    public List<MimePart> all() {
        List<MimePart> out = new java.util.ArrayList<>();
        collect(this, out);
        return out;
    }

    private static void collect(MimePart p, List<MimePart> out) {
        out.add(p);
        for (MimePart c : p.children()) collect(c, out);
    }
}
