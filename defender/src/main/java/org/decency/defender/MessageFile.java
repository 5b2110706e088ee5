package org.decency.defender;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * One mail as the milter hands it over, written to a file of its own for the content
 * checks (never held in memory): the header fields as they came ({@code Name:} and the
 * value, folds as CRLF), the empty line, the body byte for byte. Readable by its owner
 * only; deleted when the message is done, whatever became of it.
 */
final class MessageFile implements AutoCloseable {
    private static final byte[] CRLF = {'\r', '\n'};

    private final Path path;
    private final OutputStream out;
    private long size;
    private boolean headerEnded;
    private boolean closed;

    private MessageFile(Path path, OutputStream out) {
        this.path = path;
        this.out = out;
    }

    static MessageFile create(Path dir, String id) throws IOException {
        Path p = dir.resolve(id + ".eml");
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(p);
        }
        return new MessageFile(p, new BufferedOutputStream(Files.newOutputStream(p, StandardOpenOption.WRITE), 65536));
    }

    Path path() {
        return path;
    }

    /** Bytes written so far. */
    long size() {
        return size;
    }

    /**
     * One header field. {@code value} is a wire string as the MTA sent it, folds as LF;
     * {@code leadingSpace}: the value still has the space after the colon (else one is put back).
     */
    void header(String name, String value, boolean leadingSpace) throws IOException {
        if (headerEnded) return; // a field after the end of the header has no place in the mail
        String v = value.replace("\r\n", "\n").replace("\n", "\r\n");
        write((name + ":" + (leadingSpace ? "" : " ") + v).getBytes(StandardCharsets.ISO_8859_1));
        write(CRLF);
    }

    void endOfHeader() throws IOException {
        if (headerEnded) return;
        headerEnded = true;
        write(CRLF);
    }

    void body(byte[] chunk) throws IOException {
        endOfHeader();
        write(chunk);
    }

    /** The mail is complete: flushed and closed; the file stays until {@link #delete()}. */
    Path finish() throws IOException {
        endOfHeader();
        out.close();
        closed = true;
        return path;
    }

    private void write(byte[] b) throws IOException {
        out.write(b);
        size += b.length;
    }

    /** Closes and removes the file; never throws. */
    void delete() {
        close();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(MessageFile.class).warn("defender: cannot remove {}: {}", path, e.toString());
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            // the file is removed or reported by the caller
        }
    }
}
