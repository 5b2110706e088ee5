package org.decency.checks.mimeattribs;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the first bytes of a part say it is: a small table of magic numbers with the
 * content types and file name extensions that honestly describe each kind. A type in
 * the table ending with {@code .} or {@code -} stands for every type that starts so
 * ({@code application/vnd.openxmlformats-} covers .docx, .xlsx, ...).
 */
enum FileKind {
    PE("a Windows executable (MZ)", true,
            List.of("application/x-msdownload", "application/x-dosexec", "application/x-msdos-program",
                    "application/x-ms-dos-executable", "application/vnd.microsoft.portable-executable",
                    "application/x-executable", "application/exe", "application/x-exe", "application/x-winexe"),
            Set.of("exe", "dll", "scr", "com", "cpl", "sys", "pif", "ocx", "efi", "drv")),
    ELF("an ELF executable", true,
            List.of("application/x-executable", "application/x-elf", "application/x-sharedlib", "application/x-pie-executable"),
            Set.of("so", "elf")),
    ZIP("a ZIP archive", false,
            List.of("application/zip", "application/x-zip", "application/x-zip-compressed", "application/x-zip-archive",
                    "multipart/x-zip", "application/x-compressed", "application/java-archive", "application/x-java-archive",
                    "application/vnd.openxmlformats-", "application/vnd.oasis.opendocument.", "application/vnd.ms-word.",
                    "application/vnd.ms-excel.", "application/vnd.ms-powerpoint.", "application/vnd.ms-visio.",
                    "application/vnd.android.package-archive", "application/epub+zip", "application/vnd.ms-xpsdocument",
                    "application/oxps", "application/x-xpinstall", "application/vnd.google-earth.kmz"),
            Set.of("zip", "jar", "docx", "docm", "dotx", "xlsx", "xlsm", "xltx", "pptx", "pptm", "ppsx", "vsdx", "odt",
                    "ods", "odp", "odg", "apk", "epub", "xpi", "kmz", "xps", "oxps", "war", "ear", "nupkg", "vsix", "ipa")),
    PDF("a PDF document", false, List.of("application/pdf", "application/x-pdf", "application/acrobat"), Set.of("pdf", "ai")),
    OLE("an OLE compound file (old Office, MSI, Outlook)", false,
            List.of("application/msword", "application/x-msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
                    "application/vnd.ms-outlook", "application/vnd.ms-office", "application/vnd.ms-project",
                    "application/vnd.visio", "application/x-mspublisher", "application/x-msi", "application/x-ms-installer",
                    "application/x-ole-storage", "application/cdfv2"),
            Set.of("doc", "dot", "xls", "xlt", "xla", "ppt", "pps", "pot", "msg", "msi", "msp", "pub", "vsd", "mpp")),
    RAR("a RAR archive", false, List.of("application/x-rar-compressed", "application/vnd.rar", "application/x-rar"), Set.of("rar")),
    SEVEN_ZIP("a 7-Zip archive", false, List.of("application/x-7z-compressed"), Set.of("7z")),
    GZIP("a gzip file", false, List.of("application/gzip", "application/x-gzip", "application/x-gtar", "application/x-tgz",
            "application/x-compressed-tar"), Set.of("gz", "tgz")),
    PNG("a PNG image", false, List.of("image/png", "image/x-png", "image/apng"), Set.of("png", "apng")),
    JPEG("a JPEG image", false, List.of("image/jpeg", "image/jpg", "image/pjpeg"), Set.of("jpg", "jpeg", "jpe", "jfif")),
    GIF("a GIF image", false, List.of("image/gif"), Set.of("gif"));

    /** Declared types that say nothing about the content. */
    private static final Set<String> GENERIC = Set.of("application/octet-stream", "binary/octet-stream",
            "application/x-download", "application/force-download", "application/download", "application/unknown",
            "application/binary", "application/x-unknown", "application/x-octet-stream");

    private final String description;
    private final boolean executable;
    private final List<String> types;
    private final Set<String> extensions;

    FileKind(String description, boolean executable, List<String> types, Set<String> extensions) {
        this.description = description;
        this.executable = executable;
        this.types = types;
        this.extensions = extensions;
    }

    String description() {
        return description;
    }

    /** Runs as a program by itself (a PE or ELF file). */
    boolean executable() {
        return executable;
    }

    boolean isImage() {
        return this == PNG || this == JPEG || this == GIF;
    }

    /** Executables and the containers that can hide one: a disguise of these matters. */
    boolean canCarryCode() {
        return !isImage() && this != PDF;
    }

    boolean describedBy(String contentType) {
        for (String t : types) {
            boolean prefix = t.endsWith(".") || t.endsWith("-");
            if (prefix ? contentType.startsWith(t) : contentType.equals(t)) return true;
        }
        return false;
    }

    boolean namedBy(String extension) {
        return extensions.contains(extension);
    }

    static boolean isGeneric(String contentType) {
        return GENERIC.contains(contentType);
    }

    /** The kind a name's extension promises, if the table knows it. */
    static Optional<FileKind> byExtension(String extension) {
        if (extension.isEmpty()) return Optional.empty();
        for (FileKind k : values()) if (k.namedBy(extension) && !k.executable) return Optional.of(k);
        for (FileKind k : values()) if (k.namedBy(extension)) return Optional.of(k);
        return Optional.empty();
    }

    /** What {@code head} starts with, if it is in the table. */
    static Optional<FileKind> detect(byte[] h) {
        if (starts(h, 'M', 'Z') && isPe(h)) return Optional.of(PE);
        if (starts(h, 0x7f, 'E', 'L', 'F')) return Optional.of(ELF);
        if (starts(h, 'P', 'K', 3, 4) || starts(h, 'P', 'K', 5, 6) || starts(h, 'P', 'K', 7, 8)) return Optional.of(ZIP);
        if (starts(h, '%', 'P', 'D', 'F', '-')) return Optional.of(PDF);
        if (starts(h, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return Optional.of(OLE);
        if (starts(h, 'R', 'a', 'r', '!', 0x1a, 0x07)) return Optional.of(RAR);
        if (starts(h, '7', 'z', 0xbc, 0xaf, 0x27, 0x1c)) return Optional.of(SEVEN_ZIP);
        if (starts(h, 0x1f, 0x8b, 0x08)) return Optional.of(GZIP);
        if (starts(h, 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)) return Optional.of(PNG);
        if (starts(h, 0xff, 0xd8, 0xff)) return Optional.of(JPEG);
        if (starts(h, 'G', 'I', 'F', '8', '7', 'a') || starts(h, 'G', 'I', 'F', '8', '9', 'a')) return Optional.of(GIF);
        return Optional.empty();
    }

    /**
     * "MZ" alone is two letters any text may start with: a DOS header is 64 bytes and its
     * last field points to the PE header, which must say "PE\0\0" where the head reaches it.
     */
    private static boolean isPe(byte[] h) {
        if (h.length < 64) return false;
        long peOffset = (h[0x3c] & 0xffL) | (h[0x3d] & 0xffL) << 8 | (h[0x3e] & 0xffL) << 16 | (h[0x3f] & 0xffL) << 24;
        if (peOffset < 64 || peOffset > 0x10000) return false;
        int p = (int) peOffset;
        if (p + 4 > h.length) return true; // beyond what was kept: the DOS header alone is plausible
        return h[p] == 'P' && h[p + 1] == 'E' && h[p + 2] == 0 && h[p + 3] == 0;
    }

    private static boolean starts(byte[] h, int... magic) {
        if (h.length < magic.length) return false;
        for (int i = 0; i < magic.length; i++) if ((h[i] & 0xff) != magic[i]) return false;
        return true;
    }
}
