package org.decency.checks.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.decency.core.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retention: old archived mails go, everything else stays; an hourly maintenance task. */
class ArchiveRetentionTest {
    @TempDir
    Path root;
    final ManualClock clock = new ManualClock(Instant.parse("2025-03-01T12:00:00Z"));

    private Path file(String name, Duration age) throws IOException {
        Path f = root.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "x");
        Files.setLastModifiedTime(f, FileTime.from(clock.instant().minus(age)));
        return f;
    }

    @Test
    void onlyOldFilesWithArchiveNamesAreDeletedAndEmptyFoldersGo() throws IOException {
        Path old = file("2024-11-01/mail-1730419200-abc123.eml", Duration.ofDays(120));
        Path young = file("2025-02-28/mail-1740700800-def456.eml", Duration.ofDays(1));
        Path foreign = file("2024-11-01/notes.txt", Duration.ofDays(400));
        Path leftover = file("2024-10-01/.decency-123.tmp", Duration.ofDays(150));
        Files.setLastModifiedTime(root.resolve("2024-10-01"), FileTime.from(clock.instant().minus(Duration.ofDays(150))));

        int n = new ArchiveRetention(root, Duration.ofDays(90), clock).prune();

        assertThat(n).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(leftover).doesNotExist();
        assertThat(young).exists();
        assertThat(foreign).exists();
        assertThat(root.resolve("2024-10-01")).as("empty and untouched for long").doesNotExist();
        assertThat(root).exists();
    }

    @Test
    void itIsAnHourlyMaintenanceTaskNamedAfterThisMachineAndTheFolder() throws Exception {
        Path old = file("2024-11-01/mail-1730419200-abc123.eml", Duration.ofDays(120));
        var task = new ArchiveRetention(root, Duration.ofDays(90), clock).task();

        assertThat(task.every()).isEqualTo(Duration.ofHours(1));
        assertThat(task.name()).startsWith("archive:").endsWith(":" + root.toAbsolutePath().normalize());
        assertThat(task.run()).isEqualTo("deleted 1 mails older than 90d");
        assertThat(old).doesNotExist();
        assertThat(task.run()).as("nothing left to do").isEmpty();
    }

    @Test
    void aMissingRootIsNothingToDo() throws IOException {
        assertThat(new ArchiveRetention(root.resolve("none"), Duration.ofDays(1), clock).prune()).isZero();
    }
}
