package org.decency.mail;

/**
 * How far the MIME parser goes into a mail: a hostile mail (100,000 parts, parts nested
 * a thousand deep, a gigabyte) is parsed up to these limits and the structure says which
 * was reached, so a check can score it instead of the server working without end.
 *
 * @param maxParts  parts parsed at most
 * @param maxDepth  nesting of multiparts and attached messages followed at most
 * @param maxBytes  bytes of the mail read at most
 * @param headBytes bytes of each part's decoded body kept for type sniffing
 */
public record MimeLimits(int maxParts, int maxDepth, long maxBytes, int headBytes) {

    public static MimeLimits defaults() {
        return new MimeLimits(5_000, 30, 100L * 1024 * 1024, 512);
    }
}
