package org.decency.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Real mails for the learning filters' tests: 30 spam and 30 ham of the Apache
 * SpamAssassin public corpus (2002), see {@code sa-corpus-2002-sample.README.md}, unpacked
 * into a folder of the test's.
 *
 * @param spam the spam mails, sorted by name
 * @param ham  the ham mails, sorted by name
 */
public record MailCorpus(List<Path> spam, List<Path> ham) {
    private static final String SAMPLE = "sa-corpus-2002-sample.zip";

    /** Unpacks the sample into {@code dir} ({@code dir/spam/}, {@code dir/ham/}). */
    public static MailCorpus extract(Path dir) throws IOException {
        List<Path> spam = new ArrayList<>(), ham = new ArrayList<>();
        try (InputStream raw = MailCorpus.class.getResourceAsStream(SAMPLE)) {
            if (raw == null) throw new IOException(SAMPLE + " is missing from the test kit");
            try (ZipInputStream zip = new ZipInputStream(raw)) {
                for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                    if (e.isDirectory()) continue;
                    Path target = dir.resolve(e.getName()).normalize();
                    if (!target.startsWith(dir)) throw new IOException("bad entry " + e.getName());
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target);
                    (e.getName().startsWith("spam/") ? spam : ham).add(target);
                }
            }
        }
        spam.sort(null);
        ham.sort(null);
        return new MailCorpus(List.copyOf(spam), List.copyOf(ham));
    }
}
