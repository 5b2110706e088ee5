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
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
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

    private final boolean fsync;

    public MailArchiver(boolean fsync) {
        this.fsync = fsync;
    }

    /** Stores {@code mail} in {@code dir}; returns the file's path. */
    public Path store(MailMessage mail, Path dir, String prefix, Instant now) throws IOException {
        Path temp;
        try {
            createDirectories(dir);
            temp = Files.createTempFile(dir, TEMP_PREFIX, ".tmp");
        } catch (NoSuchFileException e) { // the retention removed the empty folder just now
            createDirectories(dir);
            temp = Files.createTempFile(dir, TEMP_PREFIX, ".tmp");
        }
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = Channels.newOutputStream(ch);
                 InputStream in = mail.open()) {
                in.transferTo(out);
                if (fsync) ch.force(true);
            }
            for (int attempt = 0; ; attempt++) {
                Path target = dir.resolve(prefix + "-" + now.getEpochSecond() + "-" + random6() + ".eml");
                try {
                    return move(temp, target);
                } catch (FileAlreadyExistsException e) {
                    if (attempt >= 10) throw e;
                }
            }
        } finally {
            Files.deleteIfExists(temp);
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

