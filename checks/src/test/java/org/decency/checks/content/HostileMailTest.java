package org.decency.checks.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.decency.checks.support.DnsTestSupport;
import org.decency.testkit.FileSamples;
import org.decency.checks.support.TestMails;
import org.decency.config.ConfigNode;
import org.decency.core.Action;
import org.decency.core.Check;
import org.decency.core.CheckFactory;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.mail.SpooledMessage;
import org.decency.pipeline.ModuleOptions;
import org.decency.checks.archive.ArchiveFactory;
import org.decency.checks.deepdnsbl.DeepDnsblFactory;
import org.decency.checks.honeycollector.HoneyCollectorFactory;
import org.decency.checks.mimeattribs.MimeAttribsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four content checks on hostile mails: nesting hundreds deep, ten thousand parts,
 * broken boundaries, 8-bit junk, lying archive headers. None may throw; what is wrong
 * shows in scores and details, and each mail is still archived and collected whole.
 */
class HostileMailTest {
    @TempDir
    Path dir;
    DnsTestSupport dns;
    List<Check> checks;

    @BeforeEach
    void start() {
        dns = new DnsTestSupport(dir);
        checks = List.of(
                check(new MimeAttribsFactory(), "{}\n"),
                check(new ArchiveFactory(), "archive_dir: archive/%sender_domain%/\n"),
                check(new HoneyCollectorFactory(), "collect_dir: honey/\n"),
                check(new DeepDnsblFactory(), "timeout: 2s\nblacklist: [bl.example]\n"));
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private Check check(CheckFactory f, String yaml) {
        ConfigNode n = dns.yaml(yaml);
        String name = ModuleOptions.read(f.moduleName(), n).name();
        return f.create(name, n, dns.env());
    }

    /** Runs every check (the HoneyCollector on a mail flagged honey) and the decision hook; returns the scores. */
    private List<Score> runAll(SpooledMessage m) throws Exception {
        Transaction tx = TestMails.tx(m, "203.0.113.5", "sender@example.net", "rcpt@example.org");
        Evaluation run = new Evaluation(-1000);
        run.flag("honey");
        List<Score> scores = new ArrayList<>();
        for (Check c : checks) {
            Outcome o = c.evaluate(tx, run);
            run.add(o, 1);
            scores.addAll(o.scores());
        }
        Verdict v = new Verdict(Action.DUNNO, "", run.total(), run.threshold(), run.scores(), run.flags(), "");
        for (Check c : checks) c.decided(tx, v);
        assertThat(stored("archive")).as("archived whole").containsExactly(Files.readString(m.file(), StandardCharsets.ISO_8859_1));
        assertThat(stored("honey")).as("collected whole").containsExactly(Files.readString(m.file(), StandardCharsets.ISO_8859_1));
        return scores;
    }

    private List<String> stored(String under) throws Exception {
        try (Stream<Path> s = Files.walk(dir.resolve(under))) {
            List<String> out = new ArrayList<>();
            for (Path p : s.filter(Files::isRegularFile).toList()) out.add(Files.readString(p, StandardCharsets.ISO_8859_1));
            return out;
        }
    }

    private static String briefs(List<Score> scores) {
        return String.join(" ", scores.stream().map(Score::brief).toList());
    }

    private SpooledMessage raw(String text) {
        return new TestMails(dir).raw(text);
    }

    @Test
    void partsNestedTwoHundredDeep() throws Exception {
        StringBuilder b = new StringBuilder("From: a@example.net\nSubject: deep\nMIME-Version: 1.0\n");
        for (int i = 0; i < 200; i++) b.append("Content-Type: multipart/mixed; boundary=\"d").append(i).append("\"\n\n--d").append(i).append('\n');
        b.append("Content-Type: text/plain\n\nbottom\n");
        for (int i = 199; i >= 0; i--) b.append("--d").append(i).append("--\n");

        List<Score> s = runAll(raw(b.toString()));

        assertThat(briefs(s)).contains("MIME_TOO_DEEP=-20");
        assertThat(s).filteredOn(x -> x.code().equals("MIME_TOO_DEEP")).first()
                .extracting(Score::detail).isEqualTo("parts nested deeper than 30 (the parser stopped there)");
    }

    @Test
    void tenThousandParts() throws Exception {
        StringBuilder b = new StringBuilder("From: a@example.net\nSubject: many\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"m\"\n\n");
        for (int i = 0; i < 10_000; i++) b.append("--m\nContent-Type: application/octet-stream; name=\"f").append(i).append(".exe\"\n\nMZ\n");
        b.append("--m--\n");

        List<Score> s = runAll(raw(b.toString()));

        assertThat(briefs(s)).contains("MIME_TOO_MANY_PARTS=-20", "MIME_BAD_EXTENSION=-60");
        assertThat(s).filteredOn(x -> x.code().equals("MIME_TOO_MANY_PARTS")).first()
                .extracting(Score::detail).isEqualTo("more than 5000 parts (the parser stopped there)");
        assertThat(s).filteredOn(x -> x.code().equals("MIME_BAD_EXTENSION")).first()
                .extracting(Score::detail).asString().endsWith("more");
    }

    @Test
    void brokenBoundaries() throws Exception {
        List<String> bodies = List.of(
                "Content-Type: multipart/mixed; boundary=\"a\"\n\n--a\nContent-Type: text/plain\n\nno end\n--b--\n",
                "Content-Type: multipart/mixed; boundary=\"" + "x".repeat(5000) + "\"\n\n--x\n",
                "Content-Type: multipart/alternative; boundary=\"s\"\n\n--s\nContent-Type: multipart/mixed; boundary=\"s\"\n\n--s\n--s--\n--s--\n",
                "Content-Type: message/rfc822\n\nContent-Type: multipart/mixed; boundary=q\n\n--q\nContent-Transfer-Encoding: base64\n"
                        + "Content-Type: application/zip; name=z.zip\n\n!!!not base64!!!\n");
        for (String body : bodies) {
            List<Score> s = runAll(raw("From: a@example.net\nSubject: broken\nMIME-Version: 1.0\n" + body));
            assertThat(briefs(s)).as(body).startsWith("MIME_MALFORMED=-5 Archive=0 HoneyCollector=0 DeepDNSBL=0");
            cleanStores();
        }
        List<Score> empty = runAll(raw("From: a@example.net\nSubject: broken\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=\n\n--\n\n----\n"));
        assertThat(briefs(empty)).as("an empty boundary (RFC 2046 asks for 1 to 70 characters): read as parts, they are broken")
                .isEqualTo("MIME_MALFORMED=-5 Archive=0 HoneyCollector=0 DeepDNSBL=0");
    }

    @Test
    void eightBitJunkEverywhere() throws Exception {
        Random random = new Random(7);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("Received: from \u00ff\u00fe (x [5.6.7.8\u0000]) by y\r\nSubject: \u0000\u00e4\u00f6\r\nContent-Type: multipart/mixed; boundary=\"\u00e9\"\r\n\r\n--\u00e9\r\nContent-Type: image/jpeg; name=\"\u0001\u0002.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        byte[] junk = new byte[200_000];
        random.nextBytes(junk);
        out.writeBytes(junk);
        SpooledMessage m = new TestMails(dir).raw(out.toByteArray());

        List<Score> s = runAll(m);

        assertThat(briefs(s)).isEqualTo("MIME_MALFORMED=-5 Archive=0 HoneyCollector=0 DeepDNSBL=0");
        assertThat(s.getFirst().detail()).isEqualTo("2 defects: Body part ended prematurely. Boundary detected in header or EOF reached.;"
                + " multipart without parts");
    }

    @Test
    void aZipBombsHeadIsLookedAtAndNothingMore() throws Exception {
        SpooledMessage m = new TestMails(dir).mail().attach("bomb.zip", "application/zip", FileSamples.zipBomb()).message();

        List<Score> s = runAll(m);

        assertThat(s).extracting(Score::code).doesNotContain("MIME_TYPE_MISMATCH", "MIME_MALFORMED");
    }

    @Test
    void tenThousandReceivedFields() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 10_000; i++) b.append("Received: from h (h [11.").append(i / 65536).append('.').append(i / 256 % 256).append('.').append(i % 256).append("]) by x\n");

        List<Score> s = runAll(raw(b + "Subject: hops\n\nbody\n"));

        assertThat(s).filteredOn(x -> x.code().equals("DeepDNSBL")).first().extracting(Score::detail).asString()
                .isEqualTo("not listed on 1 list; 95 more not asked (max_ips)");
        assertThat(dns.server.asked()).hasSize(5);
    }

    private void cleanStores() throws Exception {
        for (String d : List.of("archive", "honey")) {
            try (Stream<Path> s = Files.walk(dir.resolve(d))) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }
}
