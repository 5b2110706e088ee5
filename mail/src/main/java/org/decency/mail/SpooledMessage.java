package org.decency.mail;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.commons.io.input.UnsynchronizedByteArrayInputStream;
import org.decency.message.HeaderField;
import org.decency.message.MailMessage;
import org.decency.message.MimeStructure;

/**
 * A mail kept in a file (the spool): read as a stream whenever a check wants it, its
 * header and MIME structure parsed once, on first use, and shared by every check.
 */
public final class SpooledMessage implements MailMessage {
    private static final int MAX_HEADER_BYTES = 1024 * 1024;

    private final Path file;
    private final long offset;
    private final byte[] copy;
    private final long size;
    private final MimeLimits limits;
    private volatile List<HeaderField> headers;
    private volatile MimeStructure structure;

    /**
     * The mail starts {@code offset} bytes into {@code file} (a spool file keeps its
     * envelope first); {@code copy}, when not null, is the mail's bytes already in memory,
     * read instead of the file.
     */
    public SpooledMessage(Path file, long offset, byte[] copy, MimeLimits limits) {
        this.file = file;
        this.offset = offset;
        this.copy = copy;
        this.limits = limits;
        try {
            this.size = copy != null ? copy.length : Files.size(file) - offset;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled mail " + file, e);
        }
    }

    public SpooledMessage(Path file, long offset, MimeLimits limits) {
        this(file, offset, null, limits);
    }

    public SpooledMessage(Path file, MimeLimits limits) {
        this(file, 0, limits);
    }

    public SpooledMessage(Path file) {
        this(file, MimeLimits.defaults());
    }

    public Path file() {
        return file;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public InputStream open() throws IOException {
        if (copy != null) return UnsynchronizedByteArrayInputStream.builder().setByteArray(copy).get();
        FileChannel c = FileChannel.open(file, StandardOpenOption.READ);
        if (offset > 0) c.position(offset);
        return new BufferedInputStream(Channels.newInputStream(c), 65536);
    }

    @Override
    public List<HeaderField> headers() {
        List<HeaderField> h = headers;
        if (h == null) {
            try (InputStream in = open()) {
                h = List.copyOf(HeaderReader.read(in, MAX_HEADER_BYTES));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the spooled mail " + file, e);
            }
            headers = h;
        }
        return h;
    }

    @Override
    public MimeStructure structure() {
        MimeStructure s = structure;
        if (s == null) {
            try (InputStream in = open()) {
                s = new MimeParser(limits).parse(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the spooled mail " + file, e);
            }
            structure = s;
        }
        return s;
    }
}
