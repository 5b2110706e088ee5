package org.decency.checks.mimeattribs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.decency.checks.mimeattribs.MimeAttribsTestSupport.check;
import static org.decency.checks.mimeattribs.MimeAttribsTestSupport.run;
import static org.decency.checks.support.TestMails.tx;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.decency.testkit.FileSamples;
import org.decency.checks.support.TestMails;
import org.decency.core.Action;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.mail.SpooledMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MimeAttribs on real mails: each rule, its score and detail, and what a rule's action does. */
class MimeAttribsCheckTest {
    @TempDir
    Path dir;

    private TestMails mails() {
        return new TestMails(dir);
    }

    private Outcome defaults(SpooledMessage m) {
        return run(check(dir, "MimeAttribs", ""), tx(m));
    }

    private static String briefs(Outcome o) {
        return String.join(" ", o.scores().stream().map(Score::brief).toList());
    }

    @Test
    void aDangerousExtensionScoresAndTheDetailNamesTheFile() {
        Outcome o = defaults(mails().mail().attach("setup.exe", "application/octet-stream", FileSamples.pe()).message());

        assertThat(briefs(o)).isEqualTo("MIME_BAD_EXTENSION=-60");
        assertThat(o.scores().getFirst().detail()).isEqualTo("setup.exe (.exe)");
        assertThat(o.finalWord()).isNull();
    }

    @Test
    void aPlainMailWithADocumentFindsNothing() {
        Outcome o = defaults(mails().mail().attach("report.pdf", "application/pdf", FileSamples.pdf())
                .attach("photo.jpg", "image/jpeg", FileSamples.jpeg()).message());

        assertThat(o.scores()).isEmpty();
    }

    @Test
    void aDoubleExtensionAddsToTheBadExtension() {
        Outcome o = defaults(mails().mail().attach("invoice.pdf.exe", "application/octet-stream", FileSamples.pe()).message());

        assertThat(briefs(o)).isEqualTo("MIME_BAD_EXTENSION=-60 MIME_DOUBLE_EXTENSION=-40");
        assertThat(o.scores().get(1).detail()).isEqualTo("invoice.pdf.exe (.exe behind .pdf)");
    }

    @Test
    void extensionsAreSeenAsWindowsSeesThem() {
        Outcome padded = defaults(mails().mail().attach("photo.jpg         .scr", "application/octet-stream", FileSamples.pe()).message());
        Outcome trailingDot = defaults(mails().mail().attach("Setup.EXE.", "application/octet-stream", FileSamples.pe()).message());
        Outcome library = defaults(mails().mail().attach("jquery.min.js", "text/javascript", "x=1".getBytes()).message());

        assertThat(briefs(padded)).isEqualTo("MIME_BAD_EXTENSION=-60 MIME_DOUBLE_EXTENSION=-40");
        assertThat(briefs(trailingDot)).isEqualTo("MIME_BAD_EXTENSION=-60");
        assertThat(briefs(library)).as("min is no decoy extension").isEqualTo("MIME_BAD_EXTENSION=-60");
    }

    @Test
    void aProgramDeclaredAsAPictureIsATypeMismatch() {
        Outcome o = defaults(mails().mail().attach("cat.jpg", "image/jpeg", FileSamples.pe()).message());

        assertThat(briefs(o)).isEqualTo("MIME_TYPE_MISMATCH=-50");
        assertThat(o.scores().getFirst().detail())
                .isEqualTo("cat.jpg: declared image/jpeg, named .jpg, but the content is a Windows executable (MZ)");
    }

    @Test
    void aProgramMustSayWhatItIsByNameOrType() {
        Outcome hidden = defaults(mails().mail().attach("scan.dat", "application/octet-stream", FileSamples.pe()).message());
        Outcome declared = defaults(mails().mail().attach("", "application/x-msdownload", FileSamples.pe()).message());
        Outcome elf = defaults(mails().mail().attach("notes.txt", "text/plain", FileSamples.elf()).message());

        assertThat(briefs(hidden)).isEqualTo("MIME_TYPE_MISMATCH=-50");
        assertThat(declared.scores()).isEmpty();
        assertThat(elf.scores().getFirst().detail()).isEqualTo("notes.txt: declared text/plain, named .txt, but the content is an ELF executable");
    }

    @Test
    void anArchiveNamedAsADocumentIsAMismatchButOfficeFilesAreNot() {
        Outcome zipAsPdf = defaults(mails().mail().attach("statement.pdf", "application/pdf", FileSamples.zip(false, 4, "a.txt")).message());
        Outcome docx = defaults(mails().mail().attach("letter.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document", FileSamples.zip(false, 4, "word/document.xml")).message());
        Outcome docAsZip = defaults(mails().mail().attach("letter.doc", "application/msword", FileSamples.zip(false, 4, "[Content_Types].xml")).message());
        Outcome xls = defaults(mails().mail().attach("sheet.xls", "application/vnd.ms-excel", FileSamples.ole()).message());
        Outcome pngAsJpeg = defaults(mails().mail().attach("logo.jpg", "image/jpeg", FileSamples.png()).message());

        assertThat(briefs(zipAsPdf)).isEqualTo("MIME_TYPE_MISMATCH=-50");
        assertThat(docx.scores()).isEmpty();
        assertThat(docAsZip.scores()).isEmpty();
        assertThat(xls.scores()).isEmpty();
        assertThat(pngAsJpeg.scores()).as("a picture in another picture format harms no one").isEmpty();
    }

    @Test
    void aTextBodyThatStartsWithMzIsNoProgram() {
        Outcome o = defaults(mails().mail().text("MZ is short for many things, as this long enough line of text shows well.\n").message());

        assertThat(o.scores()).isEmpty();
    }

    @Test
    void anEncryptedZipIsScoredAndTheNamesInsideAreChecked() {
        Outcome o = defaults(mails().mail().attach("secret.zip", "application/zip", FileSamples.zip(true, 16, "readme.txt", "payload.exe")).message());

        assertThat(briefs(o)).isEqualTo("MIME_BAD_EXTENSION=-60 MIME_ENCRYPTED_ARCHIVE=-30");
        assertThat(o.scores().get(0).detail()).isEqualTo("secret.zip contains payload.exe (.exe)");
        assertThat(o.scores().get(1).detail()).isEqualTo("secret.zip: a ZIP archive, encrypted");
    }

    @Test
    void rarArchivesShowTheirEntriesAndEncryption() {
        Outcome rar4 = defaults(mails().mail().attach("a.rar", "application/x-rar", FileSamples.rar4("doc.pdf.scr", true)).message());
        Outcome rar5 = defaults(mails().mail().attach("b.rar", "application/vnd.rar", FileSamples.rar5("run.js", true)).message());
        Outcome rar5Plain = defaults(mails().mail().attach("c.rar", "application/vnd.rar", FileSamples.rar5("notes.txt", false)).message());
        Outcome rar5Headers = defaults(mails().mail().attach("d.rar", "application/vnd.rar", FileSamples.rar5EncryptedHeaders()).message());
        Outcome sevenZip = defaults(mails().mail().attach("e.7z", "application/x-7z-compressed", FileSamples.sevenZip()).message());

        assertThat(briefs(rar4)).isEqualTo("MIME_BAD_EXTENSION=-60 MIME_DOUBLE_EXTENSION=-40 MIME_ENCRYPTED_ARCHIVE=-30");
        assertThat(rar4.scores().get(1).detail()).isEqualTo("a.rar contains doc.pdf.scr (.scr behind .pdf)");
        assertThat(briefs(rar5)).isEqualTo("MIME_BAD_EXTENSION=-60 MIME_ENCRYPTED_ARCHIVE=-30");
        assertThat(rar5Plain.scores()).isEmpty();
        assertThat(briefs(rar5Headers)).isEqualTo("MIME_ENCRYPTED_ARCHIVE=-30");
        assertThat(sevenZip.scores()).as("7-Zip keeps both at its end").isEmpty();
    }

    @Test
    void manyFindingsOfOneRuleScoreOnceAndTheDetailIsCut() {
        TestMails.Builder b = mails().mail();
        for (int i = 1; i <= 7; i++) b.attach("tool" + i + ".bat", "application/octet-stream", "@echo off".getBytes());

        Outcome o = defaults(b.message());

        assertThat(briefs(o)).isEqualTo("MIME_BAD_EXTENSION=-60");
        assertThat(o.scores().getFirst().detail()).startsWith("tool1.bat (.bat); tool2.bat (.bat)").endsWith("; and 2 more");
    }

    @Test
    void countingRulesFireAboveTheirLimits() {
        TestMails.Builder b = mails().mail();
        for (int i = 0; i < 4; i++) b.attach("f" + i + ".txt", "text/plain", new byte[3000]);
        String yaml = """
                too_many_parts: {score: -7, max: 4}
                too_large: {score: -9, max: 10k}
                """;

        Outcome o = run(check(dir, "MimeAttribs", yaml), tx(b.message()));

        assertThat(briefs(o)).isEqualTo("MIME_TOO_MANY_PARTS=-7 MIME_TOO_LARGE=-9");
        assertThat(o.scores().get(0).detail()).isEqualTo("6 parts (max 4)");
        assertThat(o.scores().get(1).detail()).isEqualTo("attachments of 12000 bytes (max 10k)");
    }

    @Test
    void nestingDeeperThanTheLimitIsScored() {
        String mail = nested(4);
        Outcome o = run(check(dir, "MimeAttribs", "too_deep: {score: -15, max: 2}\n"), tx(mails().raw(mail)));

        assertThat(briefs(o)).isEqualTo("MIME_TOO_DEEP=-15");
        assertThat(o.scores().getFirst().detail()).isEqualTo("parts nested 4 deep (max 2)");
    }

    static String nested(int depth) {
        StringBuilder b = new StringBuilder("From: a@example.net\nSubject: nested\nMIME-Version: 1.0\n");
        for (int i = 0; i < depth; i++) {
            b.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\n\n--b").append(i).append('\n');
        }
        b.append("Content-Type: text/plain\n\ndeep\n");
        for (int i = depth - 1; i >= 0; i--) b.append("--b").append(i).append("--\n");
        return b.toString();
    }

    @Test
    void aBrokenStructureIsMalformed() {
        String broken = """
                From: a@example.net
                Subject: broken
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="never-used"

                just text, no boundary at all
                """;

        Outcome o = defaults(mails().raw(broken));

        assertThat(briefs(o)).isEqualTo("MIME_MALFORMED=-5");
        assertThat(o.scores().getFirst().detail())
                .isEqualTo("2 defects: Body part ended prematurely. Boundary detected in header or EOF reached.; multipart without parts");
    }

    @Test
    void rejectAndQuarantineEndTheRunAndRejectWins() {
        SpooledMessage m = mails().mail().attach("secret.zip", "application/zip", FileSamples.zip(true, 4, "a.exe")).message();

        Outcome held = run(check(dir, "MimeAttribs", "encrypted_archive: {score: -30, action: quarantine}\nbad_extension: 0\n"), tx(m));
        Outcome both = run(check(dir, "MimeAttribs", """
                encrypted_archive: {action: quarantine}
                bad_extension: {score: -80, action: reject, message: "No programs, please."}
                """), tx(m));
        Outcome defaultText = run(check(dir, "MimeAttribs", "bad_extension: {action: reject}\n"), tx(m));

        assertThat(held.finalWord().action()).isEqualTo(Action.HOLD);
        assertThat(held.finalWord().text()).isEqualTo("MIME_ENCRYPTED_ARCHIVE: secret.zip: a ZIP archive, encrypted");
        assertThat(briefs(held)).isEqualTo("MIME_ENCRYPTED_ARCHIVE=-30");
        assertThat(both.finalWord().action()).isEqualTo(Action.REJECT);
        assertThat(both.finalWord().text()).isEqualTo("No programs, please.");
        assertThat(defaultText.finalWord().text()).isEqualTo("Message refused (MIME_BAD_EXTENSION): secret.zip contains a.exe (.exe)");
    }

    @Test
    void aRuleWithScoreZeroIsOffAndTheListOfExtensionsCanBeReplaced() {
        SpooledMessage m = mails().mail().attach("run.exe", "application/octet-stream", FileSamples.pe())
                .attach("data.xyz", "application/octet-stream", "x".getBytes()).message();

        Outcome off = run(check(dir, "MimeAttribs", "bad_extension: 0\n"), tx(m));
        Outcome own = run(check(dir, "MimeAttribs", "extensions: [.XYZ]\n"), tx(m));

        assertThat(off.scores()).isEmpty();
        assertThat(briefs(own)).isEqualTo("MIME_BAD_EXTENSION=-60");
        assertThat(own.scores().getFirst().detail()).isEqualTo("data.xyz (.xyz)");
    }

    @Test
    void aSecondInstanceScoresUnderItsOwnName() {
        Outcome o = run(check(dir, "Outbound", ""), tx(mails().mail().attach("x.exe", "application/octet-stream", FileSamples.pe()).message()));

        assertThat(briefs(o)).isEqualTo("OUTBOUND_MIME_BAD_EXTENSION=-60");
    }

    @Test
    void fileNamesCannotSmuggleLineBreaksIntoDetails() {
        String part = "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n"
                + "Content-Disposition: attachment; filename=\"=?utf-8?B?"
                + java.util.Base64.getEncoder().encodeToString("evil\r\nX-Injected: 1\r\n.exe".getBytes(StandardCharsets.UTF_8))
                + "?=\"\n\n" + TestMails.base64(FileSamples.pe());

        Outcome o = defaults(mails().mail().part(part).message());

        assertThat(o.scores().getFirst().detail()).isEqualTo("evilX-Injected: 1.exe (.exe)"); // the line breaks do not survive the parse
    }

    @Test
    void mailsAboveMaxSizeAreNotLookedAt() {
        Outcome o = run(check(dir, "MimeAttribs", "max_size: 1k\n"),
                tx(mails().mail().attach("x.exe", "application/octet-stream", FileSamples.pe()).message()));

        assertThat(briefs(o)).isEqualTo("MimeAttribs=0");
        assertThat(o.scores().getFirst().detail()).startsWith("skipped: the mail has ").endsWith("bytes, more than max_size 1k");
    }
}
