package org.decency.checks.mimeattribs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.decency.testkit.FileSamples;
import org.junit.jupiter.api.Test;

/** Archive heads: what they tell, and that lying or cut headers never break the reading. */
class ArchiveHeadTest {

    @Test
    void aZipBombsHeadIsJustANameAndANumber() {
        byte[] head = Arrays.copyOf(FileSamples.zipBomb(), 512);

        ArchiveHead h = ArchiveHead.of(FileKind.ZIP, head);

        assertThat(h.names()).containsExactly("bomb.bin");
        assertThat(h.encrypted()).isFalse();
    }

    @Test
    void entriesAreFollowedAsFarAsTheHeadReaches() {
        byte[] zip = FileSamples.zip(false, 100, "one.txt", "two.txt", "three.txt", "four.txt", "five.txt");

        assertThat(ArchiveHead.of(FileKind.ZIP, Arrays.copyOf(zip, 512)).names()).containsExactly("one.txt", "two.txt", "three.txt", "four.txt");
        assertThat(ArchiveHead.of(FileKind.ZIP, Arrays.copyOf(zip, 140)).names()).containsExactly("one.txt");
        assertThat(ArchiveHead.of(FileKind.ZIP, Arrays.copyOf(zip, 36)).names()).as("the name is cut").isEmpty();
    }

    @Test
    void randomBytesBehindEveryMagicNeverThrow() {
        Random random = new Random(42);
        byte[][] magics = {FileSamples.zip(false, 0, "a"), FileSamples.rar4("a", false), FileSamples.rar5("a", false), FileSamples.pe()};
        for (int i = 0; i < 20_000; i++) {
            byte[] head = new byte[random.nextInt(600)];
            random.nextBytes(head);
            byte[] magic = magics[i % magics.length];
            System.arraycopy(magic, 0, head, 0, Math.min(head.length, Math.min(magic.length, 8 + random.nextInt(40))));
            FileKind.detect(head).ifPresent(k -> ArchiveHead.of(k, head));
            ArchiveHead.of(FileKind.ZIP, head);
            ArchiveHead.of(FileKind.RAR, head);
        }
    }

    @Test
    void theTableKnowsTheUsualMagics() {
        assertThat(FileKind.detect(FileSamples.pe())).contains(FileKind.PE);
        assertThat(FileKind.detect(FileSamples.elf())).contains(FileKind.ELF);
        assertThat(FileKind.detect(FileSamples.pdf())).contains(FileKind.PDF);
        assertThat(FileKind.detect(FileSamples.ole())).contains(FileKind.OLE);
        assertThat(FileKind.detect(FileSamples.png())).contains(FileKind.PNG);
        assertThat(FileKind.detect(FileSamples.jpeg())).contains(FileKind.JPEG);
        assertThat(FileKind.detect("GIF89a....".getBytes())).contains(FileKind.GIF);
        assertThat(FileKind.detect(new byte[] {0x1f, (byte) 0x8b, 8, 0})).contains(FileKind.GZIP);
        assertThat(FileKind.detect(FileSamples.sevenZip())).contains(FileKind.SEVEN_ZIP);
        assertThat(FileKind.detect(FileSamples.rar4("x", false))).contains(FileKind.RAR);
        assertThat(FileKind.detect("MZ".getBytes())).as("two letters are no program").isEmpty();
        assertThat(FileKind.detect(new byte[0])).isEmpty();
    }
}
