package org.decency.detective.spool;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.decency.core.Identifiers;

/**
 * The spool: every mail is on disk before anyone looks at it, and stays there until it
 * was passed on or deliberately handled. Folders below {@code spool_dir}:
 *
 * <ul>
 *   <li>{@code incoming/} — mails being received (DATA); a leftover here was never
 *       acknowledged, so the sending Postfix still has it: it is removed at start-up;</li>
 *   <li>{@code processing/} — received completely, being checked and passed on; a leftover
 *       here after a crash is moved to {@code failed/} and reported (Postfix got no 250 for
 *       it and will send it again);</li>
 *   <li>{@code quarantine/} — mails held by a decision (a virus, spam with
 *       {@code handle: quarantine}), with a {@code .reason} file each;</li>
 *   <li>{@code archive/} — the Archive module's default folder;</li>
 *   <li>{@code failed/} — mails whose handling broke off, with a {@code .reason} file each,
 *       for an administrator to look at.</li>
 * </ul>
 *
 * While a mail is received and handled it is one file, {@code <id>.spool}: the envelope
 * (see {@link SpoolFile}) and then the mail as received; one file a mail keeps the file
 * system's work per mail small. A kept mail (quarantine, failed) is split for the
 * administrator into {@code <id>.eml} (the mail as received, ready to be sent again),
 * {@code <id>.env} (its envelope) and {@code <id>.reason}.
 */
public final class Spool {
    /** A mail up to this size is also kept in memory while it is handled. */
    static final int MEMORY_COPY_MAX = 256 * 1024;

    private final Path root;
    private final Path incoming;
    private final Path processing;
    private final Path quarantine;
    private final Path failed;

    public Spool(Path root) {
        this.root = root.toAbsolutePath();
        this.incoming = dir("incoming");
        this.processing = dir("processing");
        this.quarantine = dir("quarantine");
        this.failed = dir("failed");
        dir("archive");
    }

    private Path dir(String name) {
        Path d = root.resolve(name);
        try {
            Files.createDirectories(d);
            try {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder stays as created
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the spool folder " + d, e);
        }
        return d;
    }

    public Path root() {
        return root;
    }

    public Path quarantineDir() {
        return quarantine;
    }

    /** How many mails are in {@code processing/} now: received, being checked and passed on. */
    public long processingCount() {
        try (var files = Files.list(processing)) {
            return files.filter(f -> f.getFileName().toString().endsWith(SpoolFile.SUFFIX)).count();
        } catch (IOException e) {
            return -1;
        }
    }

    public Path failedDir() {
        return failed;
    }

    public Path archiveDir() {
        return root.resolve("archive");
    }

    /** A mail being received: write the data, then {@link #commit} it (or {@link Incoming#abandon}). */
    public final class Incoming implements AutoCloseable {
        final String id = Identifiers.next();
        final Path file = incoming.resolve(id + SpoolFile.SUFFIX);
        final SpooledEnvelope envelope;
        final long offset;
        private final SpoolOutput out;
        private boolean closed;

        Incoming(SpooledEnvelope envelope) throws IOException {
            this.envelope = envelope;
            out = new SpoolOutput(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), MEMORY_COPY_MAX);
            byte[] prefix = SpoolFile.prefix(envelope);
            try {
                out.writeFileOnly(prefix);
            } catch (IOException e) {
                abandon();
                throw e;
            }
            offset = prefix.length;
        }

        public String id() {
            return id;
        }

        /** Where the mail's bytes go. */
        public OutputStream out() {
            return out;
        }

        /** Forgets a mail that was not received completely. */
        public void abandon() {
            closeQuietly();
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover in incoming/ is removed at the next start
            }
        }

        private void finish() throws IOException {
            if (closed) return;
            closed = true;
            out.close();
        }

        private void closeQuietly() {
            try {
                finish();
            } catch (IOException e) {
                // the file is removed by the caller
            }
        }

        @Override
        public void close() {
            closeQuietly();
        }
    }

    /** Starts receiving a mail for {@code envelope} (known before DATA). */
    public Incoming receive(SpooledEnvelope envelope) {
        try {
            return new Incoming(envelope);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the spool " + incoming, e);
        }
    }

    /**
     * Completes a received mail: it moves to {@code processing/}. Not forced to disk: the
     * sending MTA keeps its own (durable) copy until we answer 250, and we answer 250 only
     * after the next hop took the mail (and made it durable in its queue) or after
     * {@link #quarantine}, which does force.
     */
    public SpoolEntry commit(Incoming in) throws IOException {
        Path file = processing.resolve(in.id + SpoolFile.SUFFIX);
        try {
            in.finish();
            move(in.file, file);
        } catch (IOException e) {
            // not committed: the client hears a 4xx and keeps the mail, so nothing of it may stay here
            in.abandon();
            Files.deleteIfExists(file);
            throw e;
        }
        return new SpoolEntry(in.id, file, in.offset, in.envelope, in.out.copy());
    }

    /** The mail was passed on or deliberately dropped: it leaves the spool. */
    public void done(SpoolEntry e) throws IOException {
        Files.deleteIfExists(e.file());
    }

    /** Moves the mail to {@code quarantine/} with {@code reason}; returns where it is now. */
    public Path quarantine(SpoolEntry e, String reason) throws IOException {
        return keep(e, quarantine, reason);
    }

    /** Moves the mail to {@code failed/} with {@code reason}. */
    public Path fail(SpoolEntry e, String reason) throws IOException {
        return keep(e, failed, reason);
    }

    /**
     * Splits the mail into {@code dir}: the mail as received, its envelope and the reason,
     * all forced to disk (a 250 may follow), then drops the spool file.
     */
    private Path keep(SpoolEntry e, Path dir, String reason) throws IOException {
        Path mail = dir.resolve(e.id() + ".eml");
        try (FileChannel from = FileChannel.open(e.file(), StandardOpenOption.READ);
             FileChannel to = FileChannel.open(mail, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                     StandardOpenOption.WRITE)) {
            long size = from.size() - e.offset();
            for (long done = 0; done < size; ) done += from.transferTo(e.offset() + done, size - done, to);
            to.force(true);
        }
        Path env = write(dir.resolve(e.id() + ".env"), e.envelope().write());
        Path why = write(dir.resolve(e.id() + ".reason"), reason + "\n");
        force(dir);
        Files.deleteIfExists(e.file());
        return mail;
    }

    private static Path write(Path p, String text) throws IOException {
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) c.write(b);
            c.force(true);
        }
        return p;
    }

    private static void force(Path p) throws IOException {
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
            c.force(true);
        }
    }

    /**
     * Mails a crash left in {@code processing/}, by id; removes partial ones from
     * {@code incoming/}. A file that is not a readable spool file is returned whole, with
     * an empty envelope, so it too is kept for the administrator.
     */
    public List<SpoolEntry> leftovers() throws IOException {
        try (DirectoryStream<Path> partial = Files.newDirectoryStream(incoming)) {
            for (Path p : partial) Files.deleteIfExists(p);
        }
        List<SpoolEntry> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(processing)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                // a foreign file keeps its whole name as its id: x.eml and x.env may not meet in failed/
                String id = name.endsWith(SpoolFile.SUFFIX) ? name.substring(0, name.length() - SpoolFile.SUFFIX.length()) : name;
                out.add(SpoolFile.read(id, file));
            }
        }
        out.sort(java.util.Comparator.comparing(SpoolEntry::id));
        return out;
    }

    private static Path move(Path from, Path to) throws IOException {
        try {
            return Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            return Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
