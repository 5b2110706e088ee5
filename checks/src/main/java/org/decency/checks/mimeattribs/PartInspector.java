package org.decency.checks.mimeattribs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.decency.message.MimePart;

/**
 * What one leaf part shows: a dangerous or double extension in its name, bytes that are
 * an executable or archive while the declared type or the name say otherwise, and for
 * a ZIP or RAR archive the names of its first entries and whether it is encrypted. Only
 * the part's first bytes are looked at, never the whole body.
 */
final class PartInspector {
    private final Set<String> dangerous;

    PartInspector(Set<String> dangerous) {
        this.dangerous = dangerous;
    }

    List<Finding> inspect(MimePart p) {
        List<Finding> out = new ArrayList<>();
        if (p.isMultipart() || !p.children().isEmpty()) return out;
        String name = p.filename();
        String label = name.isEmpty() ? "an unnamed " + p.contentType() + " part" : name;
        if (!name.isEmpty()) names(name, name, out);
        Optional<FileKind> kind = FileKind.detect(p.head());
        if (kind.isEmpty()) return out;
        String mismatch = mismatch(p, kind.get());
        if (mismatch != null) out.add(new Finding(MimeRule.TYPE_MISMATCH, label + ": " + mismatch));
        ArchiveHead archive = ArchiveHead.of(kind.get(), p.head());
        if (archive.encrypted()) out.add(new Finding(MimeRule.ENCRYPTED_ARCHIVE, label + ": " + kind.get().description() + ", encrypted"));
        for (String entry : archive.names()) names(entry, label + " contains " + entry, out);
        return out;
    }

    private void names(String name, String detail, List<Finding> out) {
        String ext = FileNames.extension(name);
        if (!dangerous.contains(ext)) return;
        out.add(new Finding(MimeRule.BAD_EXTENSION, detail + " (." + ext + ")"));
        if (FileNames.doubleExtension(name, dangerous)) {
            out.add(new Finding(MimeRule.DOUBLE_EXTENSION, detail + " (." + ext + " behind ." + FileNames.previousExtension(name) + ")"));
        }
    }

    /** Why the declared type or the name lie about {@code kind}, or null when they do not (or it does not matter). */
    private static String mismatch(MimePart p, FileKind kind) {
        if (!kind.canCarryCode()) return null;
        String declared = p.contentType();
        String ext = p.filename().isEmpty() ? "" : FileNames.extension(p.filename());
        boolean typeOk = FileKind.isGeneric(declared) || kind.describedBy(declared) || office(kind, declared);
        boolean nameOk;
        if (kind.executable()) {
            // a program must say what it is, by its name or its type
            nameOk = kind.namedBy(ext) || kind.describedBy(declared);
        } else {
            Optional<FileKind> named = FileKind.byExtension(ext);
            nameOk = named.isEmpty() || named.get() == kind || (office(kind) && office(named.get()));
        }
        if (typeOk && nameOk) return null;
        return "declared " + declared + (ext.isEmpty() ? "" : ", named ." + ext) + ", but the content is " + kind.description();
    }

    private static boolean office(FileKind k) {
        return k == FileKind.ZIP || k == FileKind.OLE;
    }

    /** Office documents come as OLE (.doc) and as ZIP (.docx): mailers mix up their types. */
    private static boolean office(FileKind kind, String declared) {
        return office(kind) && (FileKind.OLE.describedBy(declared)
                || (FileKind.ZIP.describedBy(declared) && declared.startsWith("application/vnd.")));
    }
}
