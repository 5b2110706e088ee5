package org.decency.checks.mimeattribs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the first bytes of a ZIP or RAR archive tell without unpacking anything: the
 * names of the first entries (as far as the head reaches) and whether the archive is
 * encrypted. Sizes the archive claims are never trusted: a header saying 4 GB
 * uncompressed (a zip bomb) is just a number here, and parsing stops at the head's end.
 * 7-Zip keeps its entry list and the encryption flag at the end of the file, beyond
 * any head: a 7z archive tells nothing here.
 *
 * @param names     entry names found in the head, in order
 * @param encrypted an entry or the archive's headers are encrypted
 */
record ArchiveHead(List<String> names, boolean encrypted) {
    static final ArchiveHead NOTHING = new ArchiveHead(List.of(), false);
    private static final int MAX_ENTRIES = 64;

    ArchiveHead {
        names = List.copyOf(names);
    }

    /** What is found while reading; kept when a header turns out cut short or lying about its sizes. */
    private static final class Found {
        final List<String> names = new ArrayList<>();
        boolean encrypted;
    }

    static ArchiveHead of(FileKind kind, byte[] head) {
        Found f = new Found();
        try {
            switch (kind) {
                case ZIP -> zip(head, f);
                case RAR -> {
                    if (head.length > 6 && head[6] == 1) rar5(head, f);
                    else rar4(head, f);
                }
                default -> { }
            }
        } catch (RuntimeException e) {
            // read past the head: what was found so far stands
        }
        return new ArchiveHead(f.names, f.encrypted);
    }

    /** ZIP local file headers: {@code PK\3\4}, flags at 6 (bit 0: encrypted), sizes at 18, name length at 26. */
    private static void zip(byte[] h, Found f) {
        List<String> names = f.names;
        int p = 0;
        while (names.size() < MAX_ENTRIES && p >= 0 && p + 30 <= h.length && u32(h, p) == 0x04034b50L) {
            int flags = u16(h, p + 6);
            long compressed = u32(h, p + 18);
            int nameLength = u16(h, p + 26);
            int extraLength = u16(h, p + 28);
            f.encrypted |= (flags & 1) != 0;
            if (p + 30 + nameLength > h.length) break;
            names.add(new String(h, p + 30, nameLength, (flags & 0x800) != 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
            // sizes follow the data (bit 3) or live in a ZIP64 extra field: the next header cannot be found
            if ((flags & 8) != 0 || compressed == 0xffffffffL) break;
            long next = (long) p + 30 + nameLength + extraLength + compressed;
            if (next > h.length) break;
            p = (int) next;
        }
    }

    /** RAR 1.5-4.x: the main header's flag 0x80 encrypts the headers, a file header's flag 0x04 the file. */
    private static void rar4(byte[] h, Found f) {
        List<String> names = f.names;
        int p = 7;
        while (names.size() < MAX_ENTRIES && p + 7 <= h.length) {
            int type = h[p + 2] & 0xff;
            int flags = u16(h, p + 3);
            int size = u16(h, p + 5);
            if (size < 7) break;
            if (type == 0x73) {
                f.encrypted |= (flags & 0x80) != 0;
                if ((flags & 0x80) != 0) break; // the rest is ciphertext
            } else if (type == 0x74) {
                f.encrypted |= (flags & 0x04) != 0;
                int nameAt = p + 32 + ((flags & 0x100) != 0 ? 8 : 0);
                if (p + 28 > h.length) break;
                int nameLength = u16(h, p + 26);
                if (nameAt + nameLength > h.length) break;
                String name = new String(h, nameAt, nameLength, StandardCharsets.ISO_8859_1);
                int zero = name.indexOf('\0'); // a Unicode name follows the plain one after a zero byte
                names.add(zero >= 0 ? name.substring(0, zero) : name);
                long packed = u32(h, p + 7);
                long next = (long) p + size + packed;
                if (next > h.length) break;
                p = (int) next;
                continue;
            }
            p += size;
        }
    }

    /**
     * RAR 5: after the 8-byte signature, blocks of CRC32, header size, type (variable-length
     * integers). Type 4 encrypts every header; a file header (type 2) with an extra record
     * of type 1 is an encrypted file.
     */
    private static void rar5(byte[] h, Found f) {
        List<String> names = f.names;
        int[] at = {8};
        while (names.size() < MAX_ENTRIES && at[0] + 4 < h.length) {
            at[0] += 4; // CRC32
            long headerSize = vint(h, at);
            int headerStart = at[0];
            long type = vint(h, at);
            if (type == 4) {
                f.encrypted = true;
                return;
            }
            long headerFlags = vint(h, at);
            long extraSize = (headerFlags & 1) != 0 ? vint(h, at) : 0;
            long dataSize = (headerFlags & 2) != 0 ? vint(h, at) : 0;
            long headerEnd = headerStart + headerSize;
            if (type == 2) {
                long fileFlags = vint(h, at);
                vint(h, at); // unpacked size
                vint(h, at); // attributes
                if ((fileFlags & 2) != 0) at[0] += 4; // mtime
                if ((fileFlags & 4) != 0) at[0] += 4; // data CRC32
                vint(h, at); // compression
                vint(h, at); // host OS
                long nameLength = vint(h, at);
                if (at[0] + nameLength > h.length) break;
                names.add(new String(h, at[0], (int) nameLength, StandardCharsets.UTF_8));
                f.encrypted |= hasEncryptionRecord(h, headerEnd - extraSize, headerEnd);
            }
            long next = headerEnd + dataSize;
            if (headerSize <= 0 || next > h.length) break;
            at[0] = (int) next;
        }
    }

    private static boolean hasEncryptionRecord(byte[] h, long from, long to) {
        int[] at = {(int) from};
        while (at[0] < to && to <= h.length) {
            long size = vint(h, at);
            int start = at[0];
            if (vint(h, at) == 1) return true;
            if (size <= 0) return false;
            at[0] = (int) (start + size);
        }
        return false;
    }

    /** A RAR 5 variable-length integer: 7 bits a byte, the high bit says another follows. */
    private static long vint(byte[] h, int[] at) {
        long v = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            int b = h[at[0]++] & 0xff;
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw new IllegalArgumentException("variable-length integer too long");
    }

    private static int u16(byte[] h, int p) {
        return (h[p] & 0xff) | (h[p + 1] & 0xff) << 8;
    }

    private static long u32(byte[] h, int p) {
        return (h[p] & 0xffL) | (h[p + 1] & 0xffL) << 8 | (h[p + 2] & 0xffL) << 16 | (h[p + 3] & 0xffL) << 24;
    }
}
