package org.decency.detective;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.decency.mail.SpooledMessage;
import org.decency.message.MessageEdits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageWriterTest {
    @TempDir
    Path dir;

    static final String HEAD = "Received: from a by b; Mon, 1 Jan 2024 00:00:00 +0000\r\n"
            + "From: Sender <sender@example.net>\r\n"
            + "X-Old: one\r\n"
            + "Subject: Hello\r\n"
            + "x-old: two,\r\n\tfolded\r\n"
            + "To: user@example.org\r\n";
    static final String BODY = "Body line\r\n.dot line\r\n\r\nlast line without end";

    String write(String mail, MessageEdits edits) throws IOException {
        return new String(writeBytes(mail.getBytes(StandardCharsets.UTF_8), edits), StandardCharsets.UTF_8);
    }

    byte[] writeBytes(byte[] mail, MessageEdits edits) throws IOException {
        Path f = Files.write(dir.resolve("m" + System.nanoTime() + ".eml"), mail);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MessageWriter.write(new SpooledMessage(f), edits, out);
        return out.toByteArray();
    }

    @Test
    void noEditsChangeNothing() throws IOException {
        String mail = HEAD + "\r\n" + BODY;
        assertThat(write(mail, new MessageEdits())).isEqualTo(mail);
    }

    @Test
    void addedFieldsGoOnTopInOrder() throws IOException {
        MessageEdits e = new MessageEdits().add("X-First", "1").add("Authentication-Results", "mx; spf=pass").add("X-First", "again");
        assertThat(write(HEAD + "\r\n" + BODY, e))
                .isEqualTo("X-First: 1\r\nAuthentication-Results: mx; spf=pass\r\nX-First: again\r\n" + HEAD + "\r\n" + BODY);
    }

    @Test
    void removedFieldsAreGoneEveryOccurrenceInAnyCase() throws IOException {
        String out = write(HEAD + "\r\n" + BODY, new MessageEdits().remove("X-OLD"));
        assertThat(out).isEqualTo(HEAD.replace("X-Old: one\r\n", "").replace("x-old: two,\r\n\tfolded\r\n", "") + "\r\n" + BODY);
    }

    @Test
    void setFieldsReplaceTheFirstOccurrenceWhereItStood() throws IOException {
        String out = write(HEAD + "\r\n" + BODY, new MessageEdits().set("x-OLD", "new").set("X-Missing", "added"));
        assertThat(out).isEqualTo("Received: from a by b; Mon, 1 Jan 2024 00:00:00 +0000\r\n"
                + "From: Sender <sender@example.net>\r\n"
                + "x-OLD: new\r\n"
                + "Subject: Hello\r\n"
                + "To: user@example.org\r\n"
                + "X-Missing: added\r\n\r\n" + BODY);
    }

    @Test
    void subjectPrefix() throws IOException {
        String out = write(HEAD + "\r\n" + BODY, new MessageEdits().prefixSubject("[SPAM]"));
        assertThat(out).isEqualTo(HEAD.replace("Subject: Hello", "Subject: [SPAM] Hello") + "\r\n" + BODY);
    }

    @Test
    void subjectPrefixOnAFoldedSubject() throws IOException {
        String mail = "From: a@example.net\r\nsubject:   first part\r\n  second part\r\nTo: b@example.org\r\n\r\nbody\r\n";
        String out = write(mail, new MessageEdits().prefixSubject("[SPAM]"));
        assertThat(out).isEqualTo("From: a@example.net\r\nsubject: [SPAM] first part\r\n  second part\r\nTo: b@example.org\r\n\r\nbody\r\n");
    }

    @Test
    void subjectPrefixWithoutASubjectAddsOne() throws IOException {
        String out = write("From: a@example.net\r\n\r\nbody\r\n", new MessageEdits().prefixSubject("[SPAM]"));
        assertThat(out).isEqualTo("From: a@example.net\r\nSubject: [SPAM]\r\n\r\nbody\r\n");
    }

    @Test
    void subjectPrefixOnlyOnTheFirstSubject() throws IOException {
        String out = write("Subject: one\r\nSubject: two\r\n\r\nbody\r\n", new MessageEdits().prefixSubject("[SPAM]"));
        assertThat(out).isEqualTo("Subject: [SPAM] one\r\nSubject: two\r\n\r\nbody\r\n");
    }

    @Test
    void aSubjectThatIsSetIsPrefixedToo() throws IOException {
        String out = write(HEAD + "\r\n" + BODY, new MessageEdits().set("Subject", "Rewritten").prefixSubject("[SPAM]"));
        assertThat(out).containsOnlyOnce("Subject:").contains("Subject: [SPAM] Rewritten\r\n");
    }

    @Test
    void theBodyIsByteIdentical() throws IOException {
        byte[] head = "Subject: bin\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[70_000];
        for (int i = 0; i < body.length; i++) body[i] = (byte) (i * 31 + (i >> 8));
        byte[] mail = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, mail, head.length, body.length);
        byte[] out = writeBytes(mail, new MessageEdits().add("X-A", "1").remove("Subject"));
        byte[] expectedHead = "X-A: 1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(Arrays.copyOfRange(out, 0, expectedHead.length)).isEqualTo(expectedHead);
        assertThat(Arrays.copyOfRange(out, expectedHead.length, out.length)).isEqualTo(body);
    }

    @Test
    void aMailWithoutBlankLineOrBody() throws IOException {
        assertThat(write("Subject: only a header\r\nFrom: a@example.net\r\n", new MessageEdits().add("X-A", "1")))
                .isEqualTo("X-A: 1\r\nSubject: only a header\r\nFrom: a@example.net\r\n\r\n");
        assertThat(write("Subject: header and blank line\r\n\r\n", new MessageEdits().add("X-A", "1")))
                .isEqualTo("X-A: 1\r\nSubject: header and blank line\r\n\r\n");
        assertThat(write("", new MessageEdits().add("X-A", "1"))).isEqualTo("X-A: 1\r\n\r\n");
        assertThat(write("\r\nonly a body\r\n", new MessageEdits().add("X-A", "1"))).isEqualTo("X-A: 1\r\n\r\nonly a body\r\n");
    }

    @Test
    void longAddedValuesAreFoldedWithoutChangingThem() throws IOException {
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < 40; i++) v.append("Check").append(i).append("=-").append(i).append(i % 2 == 0 ? ", " : " ");
        String value = v.toString().strip();
        String out = write("Subject: s\r\n\r\nbody\r\n", new MessageEdits().add("X-Decency-Details", value));
        String field = out.substring(0, out.indexOf("Subject: s"));
        assertThat(field.split("\r\n")).hasSizeGreaterThan(3).allMatch(l -> l.length() <= 78);
        assertThat(Arrays.asList(field.split("\r\n")).subList(1, field.split("\r\n").length)).allMatch(l -> l.startsWith(" ") || l.startsWith("\t"));
        // unfolding (taking out the CRLFs) gives the value back as it was
        assertThat(field.replace("\r\n", "")).isEqualTo("X-Decency-Details: " + value);
        assertThat(out).endsWith("Subject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aValueWithLineBreaksCannotEndTheHeader() throws IOException {
        String out = write("Subject: s\r\n\r\nbody\r\n", new MessageEdits().add("X-Evil", "a\r\n\r\nInjected: yes\nmore").set("X-Set", "b\rc"));
        assertThat(out).startsWith("X-Evil: a");
        String head = out.substring(0, out.indexOf("\r\n\r\n"));
        assertThat(head.split("\r\n")).allMatch(l -> l.matches("[A-Za-z-]+: .*"));
        assertThat(out).endsWith("\r\n\r\nbody\r\n").containsOnlyOnce("\r\n\r\n");
    }
}
