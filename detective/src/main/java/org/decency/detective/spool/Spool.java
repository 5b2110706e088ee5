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
 *   <li>{@code processing/} — received completely (flushed to disk), being checked and
 *       passed on; a leftover here after a crash is moved to {@code failed/} and reported
 *       (Postfix got no 250 for it and will send it again);</li>
 *   <li>{@code quarantine/} — mails held by a decision (a virus, spam with
 *       {@code handle: quarantine}), with a {@code .reason} file each;</li>
 *   <li>{@code archive/} — the Archive module's default folder;</li>
 *   <li>{@code failed/} — mails whose handling broke off, with a {@code .reason} file each,
 *       for an administrator to look at.</li>
 * </ul>
 *
 * Each mail is {@code <id>.eml} (as received) with {@code <id>.env} (its envelope).
 */
public final class Spool {
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

    public Path failedDir() {
        return failed;
    }

    public Path archiveDir() {
        return root.resolve("archive");
    }

    /** A mail being received: write the data, then {@link #commit} it (or {@link Incoming#abandon}). */
    public final class Incoming implements AutoCloseable {
        final String id = Identifiers.next();
        final Path file = incoming.resolve(id + ".eml");
        private final FileChannel channel;
        private final OutputStream out;
        private boolean closed;

        Incoming() throws IOException {
            channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 65536);
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
            close();
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover in incoming/ is removed at the next start
            }
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            try {
                out.close();
            } catch (IOException e) {
                // the file is removed or committed by the caller
            }
        }
    }

    public Incoming receive() {
        try {
            return new Incoming();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the spool " + incoming, e);
        }
    }

    /**
     * Completes a received mail: its envelope is written beside it and both are moved to
     * {@code processing/}. Not forced to disk: the sending MTA keeps its own (durable)
     * copy until we answer 250, and we answer 250 only after the next hop took the mail
     * (and made it durable in its queue) or after {@link #quarantine}, which does force.
     */
    public SpoolEntry commit(Incoming in, SpooledEnvelope envelope) throws IOException {
        in.close();
        Path env = incoming.resolve(in.id + ".env");
        Path mail = processing.resolve(in.id + ".eml");
        Path envFile = processing.resolve(in.id + ".env");
        try {
            Files.writeString(env, envelope.write(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            move(in.file, mail);
            move(env, envFile);
        } catch (IOException e) {
            // not committed: the client hears a 4xx and keeps the mail, so nothing of it may stay here
            Files.deleteIfExists(env);
            Files.deleteIfExists(mail);
            throw e;
        }
        return new SpoolEntry(in.id, mail, envFile, envelope);
    }

    /** The mail was passed on or deliberately dropped: it leaves the spool. */
    public void done(SpoolEntry e) throws IOException {
        Files.deleteIfExists(e.mail());
        Files.deleteIfExists(e.envelopeFile());
    }

    /** Moves the mail to {@code quarantine/} with {@code reason}; returns where it is now. */
    public Path quarantine(SpoolEntry e, String reason) throws IOException {
        return keep(e, quarantine, reason);
    }

    /** Moves the mail to {@code failed/} with {@code reason}. */
    public Path fail(SpoolEntry e, String reason) throws IOException {
        return keep(e, failed, reason);
    }

    /** Moves the mail to {@code dir} with its reason, all forced to disk: a 250 may follow. */
    private Path keep(SpoolEntry e, Path dir, String reason) throws IOException {
        Path mail = move(e.mail(), dir.resolve(e.id() + ".eml"));
        // a crash between the two moves of a commit leaves a mail without its envelope: keep what there is
        Path env = dir.resolve(e.id() + ".env");
        if (Files.exists(e.envelopeFile())) move(e.envelopeFile(), env);
        Path why = Files.writeString(dir.resolve(e.id() + ".reason"), reason + "\n", StandardCharsets.UTF_8);
        for (Path p : new Path[] {mail, env, why, dir}) if (Files.exists(p)) force(p);
        return mail;
    }

    private static void force(Path p) throws IOException {
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
            c.force(true);
        }
    }

    /** Mails a crash left in {@code processing/}, oldest first; removes partial ones from {@code incoming/}. */
    public List<SpoolEntry> leftovers() throws IOException {
        try (DirectoryStream<Path> partial = Files.newDirectoryStream(incoming)) {
            for (Path p : partial) Files.deleteIfExists(p);
        }
        List<SpoolEntry> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(processing, "*.eml")) {
            for (Path mail : files) {
                String id = mail.getFileName().toString().replaceFirst("\\.eml$", "");
                Path env = processing.resolve(id + ".env");
                SpooledEnvelope envelope = Files.exists(env)
                        ? SpooledEnvelope.read(Files.readString(env, StandardCharsets.UTF_8))
                        : new SpooledEnvelope("", "", List.of(), java.util.Map.of(), "", 0);
                out.add(new SpoolEntry(id, mail, env, envelope));
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
