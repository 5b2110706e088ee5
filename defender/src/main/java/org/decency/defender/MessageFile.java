package org.decency.defender;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.decency.mail.MimeLimits;
import org.decency.mail.SpooledMessage;

/**
 * One mail as the milter hands it over, for the content checks: the header fields as
 * they came ({@code Name:} and the value, folds as CRLF), the empty line, the body byte
 * for byte. A mail up to {@code in_memory_size} stays in memory (Postfix holds the mail
 * itself; a file per mail cost more than the checks of a small one); a larger one goes to
 * a file of its own, readable by its owner only and deleted when the message is done,
 * whatever became of it.
 */
final class MessageFile implements AutoCloseable {
    private static final byte[] CRLF = {'\r', '\n'};

    private final Path path;
    private final int inMemory;
    private ByteArrayOutputStream memory;
    private OutputStream out;
    private boolean onDisk;
    private long size;
    private boolean headerEnded;
    private boolean closed;

    private MessageFile(Path path, int inMemory) {
        this.path = path;
        this.inMemory = inMemory;
        this.memory = new ByteArrayOutputStream(Math.min(inMemory, 16384));
    }

    /** @param inMemory bytes held in memory at most; beyond, the mail goes to {@code <dir>/<id>.eml} */
    static MessageFile create(Path dir, String id, int inMemory) throws IOException {
        MessageFile f = new MessageFile(dir.resolve(id + ".eml"), inMemory);
        if (inMemory == 0) f.spill();
        return f;
    }

    /** Where the mail is (or would be) written when it outgrows memory. */
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

    /** The mail is complete: the message the checks read (the file closed, or the bytes in memory). */
    SpooledMessage finish(MimeLimits limits) throws IOException {
        endOfHeader();
        closed = true;
        if (out == null) return new SpooledMessage(path, 0, memory.toByteArray(), limits);
        out.close();
        return new SpooledMessage(path, 0, limits);
    }

    private void write(byte[] b) throws IOException {
        if (out == null && size + b.length > inMemory) spill();
        if (out != null) out.write(b);
        else memory.write(b);
        size += b.length;
    }

    /** From here on the mail goes to its file, what memory held first. */
    private void spill() throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(path);
        }
        onDisk = true;
        out = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.WRITE), 65536);
        memory.writeTo(out);
        memory = null;
    }

    /** Closes and removes the file (a mail held in memory has none); never throws. */
    void delete() {
        close();
        memory = null;
        if (!onDisk) return;
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
        if (out == null) return;
        try {
            out.close();
        } catch (IOException e) {
            // the file is removed or reported by the caller
        }
    }
}
