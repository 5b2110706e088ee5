package org.decency.detective.spool;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A mail in the spool's processing folder: its id, its spool file, where in that file
 * the mail starts (after the envelope) and the envelope.
 */
public record SpoolEntry(String id, Path file, long offset, SpooledEnvelope envelope) {

    /** The mail's size as received. */
    public long size() {
        try {
            return Files.size(file) - offset;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled mail " + file, e);
        }
    }

    /** The mail as received, from its first byte. */
    public InputStream open() throws IOException {
        FileChannel c = FileChannel.open(file, StandardOpenOption.READ);
        c.position(offset);
        return Channels.newInputStream(c);
    }
}
