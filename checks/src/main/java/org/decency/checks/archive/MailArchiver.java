package org.decency.checks.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Pattern;
import org.decency.message.MailMessage;

/**
 * Writes a copy of a mail into a folder, whole or not at all: the bytes go to a hidden
 * temporary file in the same folder, optionally forced to disk, which is then renamed
 * to {@code <prefix>-<epoch seconds>-<6 random letters and digits>.eml} (the seeds'
 * names). Folders are created readable by the owner only, as the spool's.
 */
public final class MailArchiver {
    /** The names this class gives: anything else in an archive folder is never touched by the retention. */
    public static final Pattern NAME = Pattern.compile(".+-\\d+-[a-z0-9]{6}\\.eml");
    /** Temporary files while writing; one left over by a crash is removed by the retention. */
    public static final String TEMP_PREFIX = ".decency-";

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final boolean fsync;

    public MailArchiver(boolean fsync) {
        this.fsync = fsync;
    }

    /** Stores {@code mail} in {@code dir}; returns the file's path. */
    public Path store(MailMessage mail, Path dir, String prefix, Instant now) throws IOException {
        Path temp = dir.resolve(TEMP_PREFIX + random6() + random6() + ".tmp");
        FileChannel ch = createIn(dir, temp);
        boolean stored = false;
        try {
            // one open for create and write, no truncation: ext4 forces the data out on close after a truncate
            try (ch; OutputStream out = Channels.newOutputStream(ch); InputStream in = mail.open()) {
                in.transferTo(out);
                if (fsync) ch.force(true);
            }
            for (int attempt = 0; ; attempt++) {
                Path target = dir.resolve(prefix + "-" + now.getEpochSecond() + "-" + random6() + ".eml");
                try {
                    Path done = move(temp, target);
                    stored = true;
                    return done;
                } catch (FileAlreadyExistsException e) {
                    if (attempt >= 10) throw e;
                }
            }
        } finally {
            if (!stored) Files.deleteIfExists(temp);
        }
    }

    private static FileChannel createIn(Path dir, Path file) throws IOException {
        try {
            return createOwnerOnly(file);
        } catch (NoSuchFileException e) { // a new folder, or the retention removed the empty folder just now
            createDirectories(dir);
            return createOwnerOnly(file);
        }
    }

    private static FileChannel createOwnerOnly(Path file) throws IOException {
        try {
            return FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OWNER_ONLY);
        } catch (UnsupportedOperationException e) { // not a POSIX file system
            return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }

    private static Path move(Path from, Path to) throws IOException {
        if (Files.exists(to)) throw new FileAlreadyExistsException(to.toString());
        try {
            return Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            return Files.move(from, to);
        }
    }

    private static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        }
    }

    private static String random6() {
        char[] c = new char[6];
        for (int i = 0; i < c.length; i++) c[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        return new String(c);
    }
}

