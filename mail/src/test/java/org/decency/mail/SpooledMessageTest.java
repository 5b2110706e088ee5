package org.decency.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.decency.message.MimePart;
import org.decency.message.MimeStructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpooledMessageTest {
    @TempDir
    Path dir;

    private SpooledMessage mail(String text) throws IOException {
        return mail(text, MimeLimits.defaults());
    }

    private SpooledMessage mail(String text, MimeLimits limits) throws IOException {
        Path f = dir.resolve("m" + System.nanoTime() + ".eml");
        Files.writeString(f, text.replace("\n", "\r\n"), StandardCharsets.UTF_8);
        return new SpooledMessage(f, limits);
    }

    @Test
    void headerFieldsKeepTheirOrderAndFoldingAndValuesAreUnfolded() throws IOException {
        SpooledMessage m = mail("""
                Received: from a by b;
                \tMon, 23 Nov 2026 10:00:00 +0000
                Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= from
                 the test
                From: Alice <alice@example.net>

                Body line
                Subject: not a header
                """);

        assertThat(m.headers()).extracting(f -> f.name()).containsExactly("Received", "Subject", "From");
        assertThat(m.headers().getFirst().raw()).isEqualTo("Received: from a by b;\r\n\tMon, 23 Nov 2026 10:00:00 +0000");
        assertThat(m.header("subject")).contains("=?UTF-8?Q?Gr=C3=BC=C3=9Fe?= from the test");
        assertThat(m.header("X-Missing")).isEmpty();
        assertThat(m.size()).isEqualTo(Files.size(m.file()));
    }

    @Test
    void bareLineFeedsEightBitBytesAndJunkLinesAreTolerated() throws IOException {
        Path f = dir.resolve("raw.eml");
        Files.write(f, "From junk@mbox Mon Nov 23\nSubject: caf\u00e9 \u00ff\nnot a field line\nTo: bob@example.org\n\nbody\n"
                .getBytes(StandardCharsets.ISO_8859_1));

        SpooledMessage m = new SpooledMessage(f);

        assertThat(m.headers()).extracting(h -> h.name()).containsExactly("Subject", "To");
        assertThat(m.header("To")).contains("bob@example.org");
    }

    @Test
    void aMultipartMailShowsItsPartsFilenamesAndDecodedBodies() throws IOException {
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 1, 0};
        String b64 = Base64.getMimeEncoder().encodeToString(zip);
        SpooledMessage m = mail("""
                From: a@example.net
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="XX"

                preamble
                --XX
                Content-Type: text/plain; charset=utf-8

                Hello
                --XX
                Content-Type: application/octet-stream; name="=?UTF-8?Q?R=C3=A9sum=C3=A9.exe?="
                Content-Transfer-Encoding: base64
                Content-Disposition: attachment

                %s
                --XX
                Content-Type: application/zip
                Content-Disposition: attachment; filename*=utf-8''caf%%C3%%A9.zip
                Content-Transfer-Encoding: base64

                %s
                --XX--
                """.formatted(b64, b64));

        MimeStructure s = m.structure();

        assertThat(s.partCount()).isEqualTo(4);
        assertThat(s.root().contentType()).isEqualTo("multipart/mixed");
        assertThat(s.root().children()).extracting(MimePart::contentType)
                .containsExactly("text/plain", "application/octet-stream", "application/zip");
        assertThat(s.attachments()).extracting(MimePart::filename).containsExactly("Résumé.exe", "café.zip");
        MimePart exe = s.attachments().getFirst();
        assertThat(exe.size()).isEqualTo(8);
        assertThat(exe.head()).containsExactly(zip);
        assertThat(exe.encoding()).isEqualTo("base64");
        assertThat(exe.depth()).isEqualTo(1);
        assertThat(s.defects()).isEmpty();
    }

    @Test
    void aNameGivenTheRfc2231WayInTheContentTypeIsTheFilename() throws IOException {
        SpooledMessage m = mail("""
                From: a@example.net
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="XX"

                --XX
                Content-Type: application/octet-stream; name*=utf-8''evil%%20one.exe

                AAAA
                --XX
                Content-Type: application/octet-stream; name*0*=utf-8''ev; name*1="il.scr"

                AAAA
                --XX--
                """.formatted());

        assertThat(m.structure().attachments()).extracting(MimePart::filename).containsExactly("evil one.exe", "evil.scr");
    }

    @Test
    void anAttachedMessageIsFollowed() throws IOException {
        SpooledMessage m = mail("""
                Content-Type: multipart/mixed; boundary=outer

                --outer
                Content-Type: message/rfc822

                Subject: inner
                Content-Type: multipart/mixed; boundary=inner

                --inner
                Content-Type: application/x-msdownload; name=evil.scr

                MZ
                --inner--
                --outer--
                """);

        MimeStructure s = m.structure();

        assertThat(s.attachments()).extracting(MimePart::filename).containsExactly("evil.scr");
        assertThat(s.attachments().getFirst().depth()).isEqualTo(3);
        assertThat(s.maxDepth()).isEqualTo(3);
    }

    @Test
    void brokenMimeIsReportedNotThrown() throws IOException {
        SpooledMessage m = mail("""
                Content-Type: multipart/mixed; boundary=never-used

                just text, no boundary at all
                """);

        MimeStructure s = m.structure();

        assertThat(s.root().contentType()).isEqualTo("multipart/mixed");
        assertThat(s.defects()).contains("multipart without parts");
    }

    @Test
    void aBadBase64BodyIsADefectOfItsPart() throws IOException {
        SpooledMessage m = mail("""
                Content-Type: application/octet-stream
                Content-Transfer-Encoding: base64

                !!!! not base64 @@@@
                """);

        MimeStructure s = m.structure();
        assertThat(s.root().defects()).isNotEmpty();
    }

    @Test
    void limitsEndTheParseAndSaySo() throws IOException {
        StringBuilder many = new StringBuilder("Content-Type: multipart/mixed; boundary=B\n\n");
        for (int i = 0; i < 50; i++) many.append("--B\nContent-Type: text/plain\n\npart ").append(i).append('\n');
        many.append("--B--\n");

        MimeStructure parts = mail(many.toString(), new MimeLimits(10, 30, 1_000_000, 64)).structure();
        assertThat(parts.limitsReached()).containsExactly("more than 10 parts");
        assertThat(parts.root().children()).hasSize(9);

        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 40; i++) deep.append("Content-Type: multipart/mixed; boundary=L").append(i).append("\n\n--L").append(i).append('\n');
        deep.append("Content-Type: text/plain\n\nbottom\n");
        MimeStructure nested = mail(deep.toString(), new MimeLimits(1000, 5, 1_000_000, 64)).structure();
        assertThat(nested.limitsReached()).containsExactly("parts nested deeper than 5");
        assertThat(nested.maxDepth()).isEqualTo(5);

        MimeStructure big = mail("Subject: big\n\n" + "x".repeat(5000) + "\n", new MimeLimits(1000, 5, 1000, 64)).structure();
        assertThat(big.limitsReached()).containsExactly("more than 1000 bytes");
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aLimitReachedLongBeforeTheEndEndsTheParseAtOnce() throws IOException {
        // mime4j's stop() never returned with this much input left: the Detective hung on such a mail
        StringBuilder many = new StringBuilder("Content-Type: multipart/mixed; boundary=B\n\n");
        for (int i = 0; i < 20_000; i++) many.append("--B\nContent-Type: text/plain\n\np").append(i).append('\n');
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 500; i++) deep.append("Content-Type: multipart/mixed; boundary=L").append(i).append("\n\n--L").append(i).append('\n');
        deep.append("Content-Type: text/plain\n\n").append("bottom\n".repeat(10_000));

        MimeStructure parts = mail(many.append("--B--\n").toString(), new MimeLimits(10, 30, 100_000_000, 64)).structure();
        MimeStructure nested = mail(deep.toString(), new MimeLimits(1000, 5, 100_000_000, 64)).structure();

        assertThat(parts.limitsReached()).containsExactly("more than 10 parts");
        assertThat(parts.root().children()).hasSize(9);
        assertThat(nested.limitsReached()).containsExactly("parts nested deeper than 5");
    }

    @Test
    void aMailWithoutHeaderOrBodyStillHasAStructure() throws IOException {
        SpooledMessage empty = mail("");
        assertThat(empty.headers()).isEmpty();
        assertThat(empty.structure().root().contentType()).isEqualTo("text/plain");
        assertThat(empty.structure().partCount()).isEqualTo(1);
    }
}
