package org.decency.detective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.decency.message.MimeStructure;
import org.junit.jupiter.api.Test;
import org.decency.testkit.SmtpClient;

/**
 * Mail made to hurt: huge, with thousands of parts, nested deep, with broken boundaries.
 * Each is delivered unchanged (the checks parse what they can) or refused cleanly; the
 * server never breaks and no mail is lost.
 */
class HostileMailTest extends DetectiveTestBase {

    static final String CHECKS = "modules:\n  - Alpha: {parse: 1}\n";

    /** Sends {@code mail} and expects it delivered byte for byte, the checks having parsed it. */
    NextHop.Mail deliveredIntact(String mail) {
        SmtpClient.Reply r = send(mail);
        assertThat(r.code()).as(r.toString()).isEqualTo(250);
        NextHop.Mail m = hop.only();
        assertThat(m.text()).isEqualTo(mail);
        assertThat(journal.parsed).hasSize(1);
        assertSpoolEmpty();
        return m;
    }

    @Test
    void aHundredMegabyteMailIsStreamedThrough() throws Exception {
        start("server: {port: 0, max_size: 200m, timeout: 60s}\n" + CHECKS);
        MemoryPoolMXBean old = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getName().contains("Old Gen") || p.getName().contains("Tenured")).findFirst().orElse(null);
        System.gc();
        long base = old == null ? 0 : old.getUsage().getUsed();
        if (old != null) old.resetPeakUsage();

        MessageDigest sent = sha256();
        long size;
        try (SmtpClient c = client()) {
            assertThat(c.cmd("MAIL FROM:<sender@example.net> SIZE=104857600").code()).isEqualTo(250);
            assertThat(c.cmd("RCPT TO:<user@example.org>").code()).isEqualTo(250);
            assertThat(c.cmd("DATA").code()).isEqualTo(354);
            OutputStream out = new BufferedOutputStream(c.output(), 1 << 16);
            size = generate(out, sent, 100L << 20);
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            SmtpClient.Reply r = c.read();
            assertThat(r.code()).as(r.toString()).isEqualTo(250);
        }
        NextHop.Mail m = hop.only();
        assertThat(Files.size(m.file())).isEqualTo(size);
        assertThat(digest(m.file())).isEqualTo(HexFormat.of().formatHex(sent.digest()));
        assertThat(journal.parsed).hasSize(1);
        assertThat(journal.parsed.getFirst().partCount()).isEqualTo(3);
        assertSpoolEmpty();
        if (old != null) {
            long grown = old.getPeakUsage().getUsed() - base;
            assertThat(grown).as("old generation grew by %d MB: is a mail kept in memory?", grown >> 20).isLessThan(64L << 20);
        }
    }

    /** A multipart mail of about {@code bytes}: a text part and a base64 part, written as made; returns its size. */
    static long generate(OutputStream out, MessageDigest digest, long bytes) throws IOException {
        String head = "From: <sender@example.net>\r\nTo: <user@example.org>\r\nSubject: big\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nsee the file\r\n"
                + "--b1\r\nContent-Type: application/octet-stream; name=\"big.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n";
        long size = emit(out, digest, head.getBytes(StandardCharsets.US_ASCII));
        byte[] line = new byte[78];
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        line[76] = '\r';
        line[77] = '\n';
        for (long n = 0; size < bytes - 100; n++) {
            for (int i = 0; i < 76; i++) line[i] = (byte) alphabet.charAt((int) ((n * 7 + i * 13) % 64));
            size += emit(out, digest, line);
        }
        return size + emit(out, digest, "--b1--\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static long emit(OutputStream out, MessageDigest digest, byte[] b) throws IOException {
        out.write(b);
        digest.update(b);
        return b.length;
    }

    static MessageDigest sha256() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256");
    }

    static String digest(Path f) throws Exception {
        MessageDigest d = sha256();
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) d.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    static String manyParts(int n) {
        StringBuilder b = new StringBuilder("From: <sender@example.net>\r\nSubject: parts\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"sep\"\r\n\r\npreamble\r\n");
        for (int i = 0; i < n; i++) {
            b.append("--sep\r\nContent-Type: text/plain; name=\"p").append(i).append(".txt\"\r\n\r\npart ").append(i).append("\r\n");
        }
        return b.append("--sep--\r\n").toString();
    }

    static String nested(int depth) {
        StringBuilder b = new StringBuilder("From: <sender@example.net>\r\nSubject: deep\r\nMIME-Version: 1.0\r\n");
        for (int i = 0; i < depth; i++) {
            b.append("Content-Type: multipart/mixed; boundary=\"d").append(i).append("\"\r\n\r\n--d").append(i).append("\r\n");
        }
        b.append("Content-Type: text/plain\r\n\r\nthe bottom\r\n");
        for (int i = depth - 1; i >= 0; i--) b.append("--d").append(i).append("--\r\n");
        return b.toString();
    }

    @Test
    void tenThousandParts() {
        start("server: {port: 0, max_size: 10m}\nmime: {max_parts: 20000}\n" + CHECKS);
        deliveredIntact(manyParts(10_000));
        MimeStructure s = journal.parsed.getFirst();
        assertThat(s.partCount()).isEqualTo(10_001);
        assertThat(s.limitsReached()).isEmpty();
    }

    @Test
    void partsNestedAThousandDeep() {
        start("server: {port: 0, max_size: 10m}\nmime: {max_depth: 2000}\n" + CHECKS);
        deliveredIntact(nested(1000));
        assertThat(journal.parsed.getFirst().maxDepth()).isEqualTo(1000);
    }

    @Test
    void partsJustOverTheLimits() {
        start("server: {port: 0, max_size: 10m}\n" + CHECKS);
        deliveredIntact(manyParts(5_010));
        assertThat(journal.parsed.getFirst().limitsReached()).containsExactly("more than 5000 parts");
        hop.mails.clear();
        journal.parsed.clear();
        deliveredIntact(nested(60));
        assertThat(journal.parsed.getFirst().limitsReached()).containsExactly("parts nested deeper than 30");
    }

    @Test
    void tenThousandPartsAtTheDefaultLimit() {
        start("server: {port: 0, max_size: 10m}\n" + CHECKS);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> deliveredIntact(manyParts(10_000)));
        assertThat(journal.parsed.getFirst().limitsReached()).containsExactly("more than 5000 parts");
    }

    @Test
    void partsNestedAThousandDeepAtTheDefaultLimit() {
        start("server: {port: 0, max_size: 10m}\n" + CHECKS);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> deliveredIntact(nested(1000)));
        assertThat(journal.parsed.getFirst().limitsReached()).containsExactly("parts nested deeper than 30");
    }

    @Test
    void attachedMessagesNestedDeep() {
        start("server: {port: 0, max_size: 10m}\n" + CHECKS);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 500; i++) b.append("Subject: level ").append(i).append("\r\nContent-Type: message/rfc822\r\n\r\n");
        b.append("Subject: bottom\r\n\r\nbody\r\n");
        deliveredIntact("From: <sender@example.net>\r\n" + b);
    }

    @Test
    void aBoundaryThatNeverCloses() {
        start(CHECKS);
        deliveredIntact("From: <sender@example.net>\r\nSubject: open\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"open\"\r\n\r\n--open\r\nContent-Type: text/plain\r\n\r\nno end\r\n"
                + "--open\r\nContent-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n--inner\r\n\r\nstill open\r\n");
    }

    @Test
    void aBoundaryThatNeverComes() {
        start(CHECKS);
        deliveredIntact("From: <sender@example.net>\r\nSubject: missing\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"nowhere\"\r\n\r\njust text\r\n--elsewhere\r\n\r\nmore\r\n");
    }

    @Test
    void multipartWithoutBoundaryAndOtherNonsense() {
        start(CHECKS);
        deliveredIntact("From: <sender@example.net>\r\nSubject: nonsense\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed\r\nContent-Transfer-Encoding: base64\r\n\r\n--\r\n--\r\n!!!not base64!!!\r\n");
    }

    @Test
    void emptyBoundaryAndBrokenEncodings() {
        start(CHECKS);
        deliveredIntact("From: <sender@example.net>\r\nSubject: =?utf-8?B?broken?=\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\nContent-Type: text/plain; charset=\"nonsense-42\"\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=\r\n=\r\n----\r\n");
    }

    @Test
    void aHugeFoldedHeaderFieldArrivesWhole() {
        start("server: {port: 0, max_size: 10m}\nmodules:\n  - Alpha: {parse: 1, add: [\"X-Checked: yes\"]}\n");
        StringBuilder b = new StringBuilder("From: <sender@example.net>\r\nX-Big: start\r\n");
        for (int i = 0; i < 20_000; i++) b.append("\tcontinuation line number ").append(i).append(" ").append("x".repeat(70)).append("\r\n");
        b.append("Subject: after the big one\r\n\r\nbody\r\n");
        String mail = b.toString();
        assertThat(send(mail).code()).isEqualTo(250);
        assertThat(hop.only().text()).isEqualTo("X-Checked: yes\r\n" + mail);
        assertSpoolEmpty();
    }

    @Test
    void manyMailsOneAfterTheOtherOnOneSession() {
        start(CHECKS);
        try (SmtpClient c = client()) {
            for (int i = 0; i < 50; i++) {
                assertThat(c.mail("sender@example.net", List.of("user@example.org"), mail("n" + i, "x\r\n")).code()).isEqualTo(250);
            }
        }
        assertThat(hop.await(50)).extracting(m -> m.header("Subject")).hasSize(50).startsWith("n0").endsWith("n49");
        assertSpoolEmpty();
    }
}
