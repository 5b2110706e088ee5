package org.decency.checks.mimeattribs;

import java.util.Locale;
import java.util.Set;

/**
 * File name extensions as Windows sees them: lower-cased, after trailing dots and
 * spaces (which Windows drops: {@code evil.exe.} runs as {@code evil.exe}), ignoring
 * the invisible direction marks (U+202E before {@code fdp.exe} in {@code invoice<U+202E>fdp.exe}) that show
 * it as "invoiceexe.pdf" on screen. A double extension is a harmless-looking document or
 * media extension right before a dangerous one ({@code invoice.pdf.exe},
 * {@code photo.jpg      .scr}).
 */
final class FileNames {
    /** Extensions that make people believe a file is a document, picture or archive. */
    static final Set<String> DECOYS = Set.of("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "rtf",
            "txt", "csv", "xml", "htm", "html", "eml", "jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "zip",
            "rar", "7z", "mp3", "mp4", "avi", "mov", "wav");

    private FileNames() {}

    /** The name without direction marks and trailing dots and spaces, for comparisons. */
    static String clean(String name) {
        String n = name.replaceAll("[\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]", "");
        int end = n.length();
        while (end > 0 && (n.charAt(end - 1) == '.' || Character.isWhitespace(n.charAt(end - 1)))) end--;
        return n.substring(0, end).toLowerCase(Locale.ROOT);
    }

    /** The last extension, lower-case, without the dot; empty when there is none. */
    static String extension(String name) {
        String n = clean(name);
        int dot = n.lastIndexOf('.');
        int slash = Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\'));
        return dot <= slash + 1 ? "" : n.substring(dot + 1).strip();
    }

    /** The extension before the last one, spaces around it removed; empty when there is none. */
    static String previousExtension(String name) {
        String n = clean(name);
        int last = n.lastIndexOf('.');
        if (last <= 0) return "";
        String before = n.substring(0, last).strip();
        int dot = before.lastIndexOf('.');
        return dot < 0 ? "" : before.substring(dot + 1).strip();
    }

    /** A decoy extension right before one of {@code dangerous}. */
    static boolean doubleExtension(String name, Set<String> dangerous) {
        return dangerous.contains(extension(name)) && DECOYS.contains(previousExtension(name));
    }
}
