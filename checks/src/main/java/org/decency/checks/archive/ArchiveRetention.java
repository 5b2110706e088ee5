package org.decency.checks.archive;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.decency.config.Durations;
import org.decency.core.MaintenanceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes archived mails older than the retention, below the archive's root folder:
 * only files named as {@link MailArchiver} names them (and its leftover temporary
 * files), never anything else, never following links; folders left empty go too once
 * nothing was written to them for an hour before (the root stays). Runs as the check's
 * {@link MaintenanceTask} every {@link #EVERY}, by the server's maintenance: no separate
 * daemon or cron job, and instances on one machine that archive into the same folder
 * take turns.
 */
final class ArchiveRetention {
    static final Duration EVERY = Duration.ofHours(1);
    private static final Logger log = LoggerFactory.getLogger(ArchiveRetention.class);

    private final Path root;
    private final Duration keep;
    private final Clock clock;

    ArchiveRetention(Path root, Duration keep, Clock clock) {
        this.root = root;
        this.keep = keep;
        this.clock = clock;
    }

    /**
     * The clean-up as a maintenance task, named after this machine and the folder: instances
     * on one machine share the lease; another machine, with a folder of its own, has its own.
     */
    MaintenanceTask task() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return MaintenanceTask.of("archive:" + host + ":" + root.toAbsolutePath().normalize(), EVERY, () -> {
            int n = prune();
            return n == 0 ? "" : "deleted " + n + " mails older than " + Durations.format(keep);
        });
    }

    /** Deletes what is older than the retention now; returns how many mails went. */
    int prune() throws IOException {
        if (!Files.isDirectory(root)) return 0;
        Instant limit = clock.instant().minus(keep);
        int[] deleted = {0};
        Map<Path, Instant> touched = new HashMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                touched.put(dir, attrs.lastModifiedTime().toInstant()); // before this clean-up deletes in it
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String name = file.getFileName().toString();
                boolean ours = MailArchiver.NAME.matcher(name).matches() || name.startsWith(MailArchiver.TEMP_PREFIX);
                if (ours && attrs.isRegularFile() && attrs.lastModifiedTime().toInstant().isBefore(limit)) {
                    if (Files.deleteIfExists(file) && !name.startsWith(MailArchiver.TEMP_PREFIX)) deleted[0]++;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // gone meanwhile, or not ours to read
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                Instant modified = touched.remove(dir);
                if (!dir.equals(root) && modified != null && modified.isBefore(clock.instant().minus(EVERY))) {
                    try {
                        Files.delete(dir);
                    } catch (DirectoryNotEmptyException | NoSuchFileException ignored) {
                        // still in use
                    } catch (IOException other) {
                        log.debug("archive: cannot remove {}: {}", dir, other.toString());
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return deleted[0];
    }
}
