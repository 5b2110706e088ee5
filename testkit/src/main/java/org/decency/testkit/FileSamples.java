package org.decency.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The first bytes of real file formats, as MIME checks see them: enough header to be recognised. */
public final class FileSamples {
    private FileSamples() {}

    /** A DOS header pointing at a PE header at 0x80. */
    public static byte[] pe() {
        byte[] b = new byte[1024];
        b[0] = 'M';
        b[1] = 'Z';
        b[0x3c] = (byte) 0x80;
        b[0x80] = 'P';
        b[0x81] = 'E';
        return b;
    }

    public static byte[] elf() {
        byte[] b = new byte[256];
        b[0] = 0x7f;
        b[1] = 'E';
        b[2] = 'L';
        b[3] = 'F';
        return b;
    }

    public static byte[] pdf() {
        return "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".getBytes(StandardCharsets.ISO_8859_1);
    }

    public static byte[] png() {
        byte[] b = new byte[64];
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a}, 0, b, 0, 8);
        return b;
    }

    public static byte[] jpeg() {
        byte[] b = new byte[64];
        b[0] = (byte) 0xff;
        b[1] = (byte) 0xd8;
        b[2] = (byte) 0xff;
        b[3] = (byte) 0xe0;
        return b;
    }

    public static byte[] ole() {
        byte[] b = new byte[512];
        int[] magic = {0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1};
        for (int i = 0; i < magic.length; i++) b[i] = (byte) magic[i];
        return b;
    }

    /** A ZIP archive's local headers (stored entries of {@code size} bytes each), encrypted or not. */
    public static byte[] zip(boolean encrypted, int size, String... names) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String name : names) {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(new byte[] {'P', 'K', 3, 4, 20, 0});
            le16(out, (encrypted ? 1 : 0) | 0x800);
            le16(out, 0); // stored
            le32(out, 0); // time, date
            le32(out, 0); // crc
            le32(out, size);
            le32(out, size);
            le16(out, n.length);
            le16(out, 0);
            out.writeBytes(n);
            out.writeBytes(new byte[size]);
        }
        out.writeBytes(new byte[] {'P', 'K', 5, 6});
        out.writeBytes(new byte[18]);
        return out.toByteArray();
    }

    /** A zip bomb's head: one entry claiming 4 GB uncompressed (deflated, 10 MB compressed, ZIP64 marker sizes). */
    public static byte[] zipBomb() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] n = "bomb.bin".getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(new byte[] {'P', 'K', 3, 4, 45, 0});
        le16(out, 0);
        le16(out, 8);
        le32(out, 0);
        le32(out, 0);
        le32(out, 10 << 20);
        le32(out, 0xffffffffL);
        le16(out, n.length);
        le16(out, 0);
        out.writeBytes(n);
        out.writeBytes(new byte[4096]); // the start of the "compressed" data
        return out.toByteArray();
    }

    /** A RAR 4 archive: main header, one file header (flag 0x04 when encrypted). */
    public static byte[] rar4(String name, boolean encrypted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'R', 'a', 'r', '!', 0x1a, 0x07, 0x00});
        le16(out, 0);
        out.write(0x73);
        le16(out, 0);
        le16(out, 13);
        out.writeBytes(new byte[6]);
        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
        le16(out, 0);
        out.write(0x74);
        le16(out, 0x8000 | (encrypted ? 0x04 : 0));
        le16(out, 32 + n.length);
        le32(out, 100);
        le32(out, 100);
        out.write(2);
        le32(out, 0);
        le32(out, 0);
        out.write(29);
        out.write(0x30);
        le16(out, n.length);
        le32(out, 0x20);
        out.writeBytes(n);
        out.writeBytes(new byte[100]);
        return out.toByteArray();
    }

    /** A RAR 5 archive: main header and one file header, with an encryption record when encrypted. */
    public static byte[] rar5(String name, boolean encrypted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'R', 'a', 'r', '!', 0x1a, 0x07, 0x01, 0x00});
        le32(out, 0);
        out.writeBytes(new byte[] {3, 1, 0, 0}); // size 3: type 1 (main), flags 0, archive flags 0
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] extra = encrypted ? new byte[] {3, 1, 0, 0} : new byte[0]; // record size 3: type 1 (encryption), version, flags
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write(2); // file header
        h.write(encrypted ? 3 : 2); // extra area (1) and data area (2)
        if (encrypted) h.write(extra.length);
        h.write(10); // data size
        h.write(0); // file flags
        h.write(10); // unpacked size
        h.write(0x20); // attributes
        h.write(0); // compression
        h.write(0); // host OS
        h.write(n.length);
        h.writeBytes(n);
        h.writeBytes(extra);
        le32(out, 0);
        out.write(h.size());
        out.writeBytes(h.toByteArray());
        out.writeBytes(new byte[10]);
        return out.toByteArray();
    }

    /** A RAR 5 archive whose headers are encrypted: an archive encryption header right after the signature. */
    public static byte[] rar5EncryptedHeaders() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'R', 'a', 'r', '!', 0x1a, 0x07, 0x01, 0x00});
        le32(out, 0);
        out.writeBytes(new byte[] {4, 4, 0, 0, 0});
        out.writeBytes(new byte[64]);
        return out.toByteArray();
    }

    public static byte[] sevenZip() {
        byte[] b = new byte[64];
        int[] magic = {'7', 'z', 0xbc, 0xaf, 0x27, 0x1c};
        for (int i = 0; i < magic.length; i++) b[i] = (byte) magic[i];
        return b;
    }

    private static void le16(ByteArrayOutputStream out, int v) {
        out.write(v & 0xff);
        out.write((v >> 8) & 0xff);
    }

    private static void le32(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 4; i++) out.write((int) (v >> (8 * i)) & 0xff);
    }
}
