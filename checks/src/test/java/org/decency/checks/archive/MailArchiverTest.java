package org.decency.checks.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.decency.mail.SpooledMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MailArchiver: a whole copy under the seeds' name, readable by the owner only, nothing left behind. */
class MailArchiverTest {
    @TempDir
    Path dir;

    static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aCopyIsStoredWholeForTheOwnerOnlyAndNoTemporaryFileStays() throws IOException {
        Path mail = Files.writeString(dir.resolve("in.eml"), "Subject: keep\r\n\r\nbody\r\n");
        Path into = dir.resolve("archive/2025/03/01");
        Instant now = Instant.ofEpochSecond(1740830400);
        MailArchiver archiver = new MailArchiver(false);

        Path first = archiver.store(new SpooledMessage(mail), into, "mail", now);
        Path second = archiver.store(new SpooledMessage(mail), into, "mail", now);

        assertThat(names(into)).containsExactlyInAnyOrder(first.getFileName().toString(), second.getFileName().toString());
        assertThat(first.getFileName().toString()).matches("mail-1740830400-[a-z0-9]{6}\\.eml").isNotEqualTo(second.getFileName().toString());
        assertThat(Files.readString(first)).isEqualTo("Subject: keep\r\n\r\nbody\r\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(into))).isEqualTo("rwx------");
    }

    @Test
    void aFolderRemovedMeanwhileIsCreatedAgain() throws IOException {
        Path mail = Files.writeString(dir.resolve("in.eml"), "Subject: again\r\n\r\n");
        Path into = dir.resolve("archive/day");
        MailArchiver archiver = new MailArchiver(true);
        Path first = archiver.store(new SpooledMessage(mail), into, "x", Instant.EPOCH);
        Files.delete(first);
        Files.delete(into); // what the retention does with an empty folder
        Path again = archiver.store(new SpooledMessage(mail), into, "x", Instant.EPOCH);
        assertThat(Files.readString(again)).isEqualTo("Subject: again\r\n\r\n");
        assertThat(names(into)).containsExactly(again.getFileName().toString());
    }

    @Test
    void aMailThatCannotBeReadLeavesNothingBehind() throws IOException {
        Path mail = Files.writeString(dir.resolve("in.eml"), "Subject: gone\r\n\r\n");
        SpooledMessage message = new SpooledMessage(mail);
        Files.delete(mail);
        Path into = Files.createDirectories(dir.resolve("archive"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MailArchiver(false).store(message, into, "x", Instant.EPOCH))
                .isInstanceOf(IOException.class);
        assertThat(names(into)).isEmpty();
    }
}
