package org.decency.detective.spool;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.commons.io.input.UnsynchronizedByteArrayInputStream;

/**
 * A mail in the spool's processing folder: its id, its spool file, where in that file
 * the mail starts (after the envelope), the envelope, and the mail's bytes when it was
 * small enough to be kept in memory too (else null).
 */
public record SpoolEntry(String id, Path file, long offset, SpooledEnvelope envelope, byte[] copy) {

    /** The mail's size as received. */
    public long size() {
        if (copy != null) return copy.length;
        try {
            return Files.size(file) - offset;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled mail " + file, e);
        }
    }

    /** The mail as received, from its first byte. */
    public InputStream open() throws IOException {
        if (copy != null) return UnsynchronizedByteArrayInputStream.builder().setByteArray(copy).get();
        FileChannel c = FileChannel.open(file, StandardOpenOption.READ);
        c.position(offset);
        return Channels.newInputStream(c);
    }
}
