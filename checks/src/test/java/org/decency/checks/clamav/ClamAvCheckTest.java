package org.decency.checks.clamav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.decency.checks.clamav.ClamAvTesting.EICAR;
import static org.decency.checks.clamav.ClamAvTesting.clean;
import static org.decency.checks.clamav.ClamAvTesting.infected;
import static org.decency.checks.clamav.ClamAvTesting.scan;
import static org.decency.checks.clamav.ClamAvTesting.tcp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.decency.checks.support.TestMails;
import org.decency.core.Action;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.mail.SpooledMessage;
import org.decency.testkit.TestClamd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ClamAV against a real clamd (one for the class, with our EICAR signature and a small StreamMaxLength). */
class ClamAvCheckTest {
    static final String VIRUS = TestClamd.FOUND_NAME;

    @TempDir
    static Path clamdDir;
    static TestClamd clamd;

    @TempDir
    Path dir;
    TestMails mails;
    final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeAll
    static void startClamd() {
        clamd = TestClamd.start(clamdDir, "StreamMaxLength 256K");
    }

    @AfterAll
    static void stopClamd() {
        if (clamd != null) clamd.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closing.reversed()) c.close();
    }

    <T extends AutoCloseable> T closing(T c) {
        closing.add(c);
        return c;
    }

    ClamAvCheck check(String more) {
        mails = new TestMails(dir);
        return closing(tcp(dir, clamd.port(), more));
    }

    static Score only(Outcome o) {
        assertThat(o.scores()).hasSize(1);
        return o.scores().getFirst();
    }

    @Test
    void eicarInTheBodyIsAVirusWithItsSignatureName() {
        ClamAvCheck check = check("");
        Outcome o = scan(check, mails.mail().text("look: " + TestClamd.EICAR + "\n").message());

        assertThat(o.flags()).containsExactly("virus=" + VIRUS);
        assertThat(only(o)).isEqualTo(new Score("ClamAV", 0, "Virus found: " + VIRUS));
        assertThat(o.finalWord()).isNull();
        assertThat(o.temporary()).isFalse();
    }

    @Test
    void eicarInABase64AttachmentAndInAZipIsFoundTooClamdDecodesMimeItself() {
        ClamAvCheck check = check("");

        Outcome attached = scan(check, infected(mails, 1));
        Outcome zipped = scan(check, mails.mail().attach("invoice.zip", "application/zip", ClamAvTesting.zip("invoice.com", EICAR)).message());

        assertThat(attached.flags()).containsExactly("virus=" + VIRUS);
        assertThat(zipped.flags()).containsExactly("virus=" + VIRUS);
        // the base64 text of the attachment does not hold the string: only decoding finds it
        assertThat(TestMails.base64(EICAR)).doesNotContain(TestClamd.EICAR);
    }

    @Test
    void aCleanMailScoresZero() {
        ClamAvCheck check = check("");
        Outcome o = scan(check, clean(mails, 1));

        assertThat(only(o)).isEqualTo(new Score("ClamAV", 0, "clean"));
        assertThat(o.flags()).isEmpty();
        assertThat(o.finalWord()).isNull();
    }

    @Test
    void weightVirusIsAddedWithTheFlag() {
        ClamAvCheck check = check("weight_virus: -100\n");

        assertThat(scan(check, infected(mails, 1)).total()).isEqualTo(-100);
        assertThat(scan(check, clean(mails, 2)).total()).isZero();
    }

    @Test
    void theUnixSocketWorksAsTcpDoes() {
        mails = new TestMails(dir);
        ClamAvCheck check = closing(ClamAvTesting.check(dir, "path: " + clamd.socket() + "\n"));

        assertThat(scan(check, infected(mails, 1)).flags()).containsExactly("virus=" + VIRUS);
        assertThat(only(scan(check, clean(mails, 2))).detail()).isEqualTo("clean");
        assertThat(check.clamd().connectionsOpened()).isEqualTo(1);
    }

    @Test
    void aMailOverMaxSizeIsNotScanned() throws IOException {
        try (ClamdProxy proxy = new ClamdProxy(clamd.port())) {
            mails = new TestMails(dir);
            ClamAvCheck check = closing(tcp(dir, proxy.port(), "max_size: 1k\n"));
            SpooledMessage big = mails.mail().text("x".repeat(2000) + "\n").attach("eicar.com", "application/octet-stream", EICAR).message();

            Outcome o = scan(check, big);

            assertThat(o.flags()).isEmpty();
            assertThat(only(o)).isEqualTo(new Score("ClamAV", 0, "skipped: the mail has " + big.size() + " bytes, more than max_size 1k"));
            assertThat(proxy.connections()).isZero();
        }
    }

    @Test
    void aMailLongerThanClamdsStreamMaxLengthTakesTheFailurePathAndTheNextScanWorks() {
        ClamAvCheck tempfail = check("");
        ClamAvCheck skip = closing(tcp(dir, clamd.port(), "on_failure: skip\n"));
        SpooledMessage huge = mails.mail().text("x".repeat(100) + "\n").attach("big.bin", "application/octet-stream", new byte[1024 * 1024]).message();

        Outcome deferred = scan(tempfail, huge);
        Outcome skipped = scan(skip, huge);

        assertThat(deferred.finalWord().action()).isEqualTo(Action.DEFER);
        assertThat(deferred.temporary()).isTrue();
        assertThat(only(deferred).detail()).isEqualTo("failed: clamd 127.0.0.1:" + clamd.port() + ": INSTREAM size limit exceeded. ERROR");
        assertThat(skipped.finalWord()).isNull();
        assertThat(only(skipped)).isEqualTo(new Score("ClamAV", 0, "skipped: clamd 127.0.0.1:" + clamd.port() + ": INSTREAM size limit exceeded. ERROR"));
        // clamd closed that session; the next scans open another
        assertThat(scan(tempfail, infected(mails, 2)).flags()).containsExactly("virus=" + VIRUS);
        assertThat(only(scan(tempfail, clean(mails, 3))).detail()).isEqualTo("clean");
    }

    @Test
    void manyScansShareOneClamdSession() throws IOException {
        try (ClamdProxy proxy = new ClamdProxy(clamd.port())) {
            mails = new TestMails(dir);
            ClamAvCheck check = closing(tcp(dir, proxy.port(), ""));

            for (int i = 0; i < 10; i++) {
                Outcome o = scan(check, i % 2 == 0 ? clean(mails, i) : infected(mails, i));
                assertThat(o.flags()).as("scan %d", i).isEqualTo(i % 2 == 0 ? List.of() : List.of("virus=" + VIRUS));
            }

            assertThat(proxy.connections()).isEqualTo(1);
            assertThat(check.clamd().idleSessions()).isEqualTo(1);
        }
    }

    @Test
    void aSessionBrokenWhileIdleIsReplacedOnceAndTheScanSucceeds() throws IOException {
        try (ClamdProxy proxy = new ClamdProxy(clamd.port())) {
            mails = new TestMails(dir);
            ClamAvCheck check = closing(tcp(dir, proxy.port(), ""));
            assertThat(only(scan(check, clean(mails, 1))).detail()).isEqualTo("clean");

            proxy.breakOpenConnections(); // the idle session looks open but dies on its next use

            assertThat(scan(check, infected(mails, 2)).flags()).containsExactly("virus=" + VIRUS);
            assertThat(proxy.connections()).isEqualTo(2);
            assertThat(only(scan(check, clean(mails, 3))).detail()).isEqualTo("clean");
            assertThat(proxy.connections()).isEqualTo(2);
        }
    }

    @Test
    void concurrentScansFromManyThreadsAreEachRight() throws Exception {
        int threads = 48;
        int perThread = 8;
        try (ClamdProxy proxy = new ClamdProxy(clamd.port()); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            mails = new TestMails(dir);
            ClamAvCheck check = closing(tcp(dir, proxy.port(), "timeout: 60s\n"));
            List<SpooledMessage> all = new ArrayList<>();
            for (int i = 0; i < threads * perThread; i++) all.add(i % 3 == 0 ? infected(mails, i) : clean(mails, i));

            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * perThread;
                results.add(pool.submit(() -> {
                    List<String> seen = new ArrayList<>();
                    for (int i = first; i < first + perThread; i++) {
                        Outcome o = scan(check, all.get(i));
                        seen.add(i + ":" + (o.flags().isEmpty() ? only(o).detail() : o.flags().getFirst()));
                    }
                    return seen;
                }));
            }

            List<String> got = new ArrayList<>();
            for (Future<List<String>> f : results) got.addAll(f.get());
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) expected.add(i + ":" + (i % 3 == 0 ? "virus=" + VIRUS : "clean"));
            assertThat(got).containsExactlyElementsOf(expected);
            assertThat(proxy.connections()).isBetween(1, threads);
            assertThat(check.clamd().idleSessions()).isBetween(1, Clamd.MAX_IDLE);
            // the sessions beyond the pool were ended; those in it stay open
            check.close();
            waitFor(() -> proxy.open() == 0, "all sessions closed");
        }
    }

    @Test
    void aMailIsStreamedInChunksNotLoadedWhole() throws IOException {
        // three and a half chunks, the EICAR string across the border of the second and third
        ClamAvCheck check = check("");
        int chunk = ClamdSession.CHUNK;
        byte[] body = new byte[chunk * 7 / 2];
        java.util.Arrays.fill(body, (byte) 'a');
        for (int i = 76; i < body.length; i += 78) {
            body[i] = '\r';
            body[i + 1] = '\n';
        }
        int at = 2 * chunk - 20;
        System.arraycopy(EICAR, 0, body, at, EICAR.length);
        body[at - 2] = '\r';
        body[at - 1] = '\n';
        byte[] head = "From: s@example.net\r\nTo: r@example.org\r\nSubject: long\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] raw = new byte[head.length + body.length];
        System.arraycopy(head, 0, raw, 0, head.length);
        System.arraycopy(body, 0, raw, head.length, body.length);
        SpooledMessage m = mails.raw(raw);
        assertThat(Files.size(m.file())).isGreaterThan(3L * chunk);

        assertThat(scan(check, m).flags()).containsExactly("virus=" + VIRUS);
    }

    static void waitFor(java.util.function.BooleanSupplier ok, String what) {
        long end = System.currentTimeMillis() + 10_000;
        while (!ok.getAsBoolean()) {
            if (System.currentTimeMillis() > end) throw new AssertionError("waited 10s for " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
