package org.decency.checks.clamav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.decency.checks.clamav.ClamAvTesting.clean;
import static org.decency.checks.clamav.ClamAvTesting.infected;
import static org.decency.checks.clamav.ClamAvTesting.scan;
import static org.decency.checks.clamav.ClamAvTesting.tcp;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.decency.checks.support.TestMails;
import org.decency.core.Action;
import org.decency.core.FinalWord;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.testkit.TestClamd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ClamAV when clamd is gone, hangs or ends sessions: on_failure decides, and sessions are replaced. */
class ClamAvFailureTest {
    static final FinalWord DEFERRED = new FinalWord(Action.DEFER, "4.3.0 ClamAV is not available, try again later");

    @TempDir
    Path dir;
    @TempDir
    Path clamdDir;
    final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closing.reversed()) c.close();
    }

    <T extends AutoCloseable> T closing(T c) {
        closing.add(c);
        return c;
    }

    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void clamdDownDefersTheMailByDefaultAndSkipCountsZero() throws IOException {
        int port = closedPort();
        TestMails mails = new TestMails(dir);
        ClamAvCheck tempfail = closing(tcp(dir, port, ""));
        ClamAvCheck skip = closing(tcp(dir, port, "on_failure: skip\n"));

        Outcome deferred = scan(tempfail, clean(mails, 1));
        Outcome skipped = scan(skip, infected(mails, 2));

        assertThat(deferred.finalWord()).isEqualTo(DEFERRED);
        assertThat(deferred.temporary()).isTrue();
        assertThat(deferred.scores()).containsExactly(new Score("ClamAV", 0, "failed: clamd 127.0.0.1:" + port + ": Connection refused"));
        assertThat(skipped.finalWord()).isNull();
        assertThat(skipped.temporary()).isTrue();
        assertThat(skipped.scores()).containsExactly(new Score("ClamAV", 0, "skipped: clamd 127.0.0.1:" + port + ": Connection refused"));
    }

    @Test
    void aMissingUnixSocketIsAFailureToo() {
        TestMails mails = new TestMails(dir);
        Path socket = dir.resolve("no-clamd.ctl");
        ClamAvCheck check = closing(ClamAvTesting.check(dir, "path: " + socket + "\n"));

        Outcome o = scan(check, clean(mails, 1));

        assertThat(o.finalWord()).isEqualTo(DEFERRED);
        assertThat(o.scores().getFirst().detail()).startsWith("failed: clamd " + socket + ": ");
    }

    @Test
    void clamdStoppedAfterAScanDefersTheNextMailAndSkipLetsItPass() {
        TestClamd clamd = closing(TestClamd.start(clamdDir));
        TestMails mails = new TestMails(dir);
        ClamAvCheck tempfail = closing(tcp(dir, clamd.port(), ""));
        ClamAvCheck skip = closing(tcp(dir, clamd.port(), "on_failure: skip\n"));
        assertThat(scan(tempfail, clean(mails, 1)).scores().getFirst().detail()).isEqualTo("clean");
        assertThat(scan(skip, clean(mails, 2)).scores().getFirst().detail()).isEqualTo("clean");

        clamd.close(); // both checks hold an idle session to the clamd that is gone now

        Outcome deferred = scan(tempfail, infected(mails, 3));
        Outcome skipped = scan(skip, infected(mails, 4));
        assertThat(deferred.finalWord()).isEqualTo(DEFERRED);
        assertThat(deferred.flags()).isEmpty();
        assertThat(deferred.scores().getFirst().detail()).startsWith("failed: clamd 127.0.0.1:" + clamd.port() + ": ");
        assertThat(skipped.finalWord()).isNull();
        assertThat(skipped.total()).isZero();
        assertThat(skipped.scores().getFirst().detail()).isEqualTo("skipped: clamd 127.0.0.1:" + clamd.port() + ": Connection refused");
    }

    @Test
    void aClamdThatDoesNotAnswerTimesOutAndDefers() {
        TestClamd clamd = closing(TestClamd.start(clamdDir));
        TestMails mails = new TestMails(dir);
        ClamAvCheck check = closing(tcp(dir, clamd.port(), "timeout: 1s\n"));
        assertThat(scan(check, clean(mails, 1)).scores().getFirst().detail()).isEqualTo("clean");

        clamd.suspend();
        long start = System.nanoTime();
        Outcome o = scan(check, clean(mails, 2));
        long millis = (System.nanoTime() - start) / 1_000_000;
        clamd.resume();

        assertThat(o.finalWord()).isEqualTo(DEFERRED);
        assertThat(o.scores()).containsExactly(new Score("ClamAV", 0, "failed: clamd 127.0.0.1:" + clamd.port() + ": no answer in time (timeout 1s)"));
        assertThat(millis).as("one attempt, not retried after a timeout").isBetween(850L, 1900L);
        // clamd is back: a new session works
        assertThat(scan(check, infected(mails, 3)).flags()).containsExactly("virus=" + TestClamd.FOUND_NAME);
    }

    @Test
    void aSessionClamdEndedForIdlenessIsDroppedBeforeUse() throws Exception {
        TestClamd clamd = closing(TestClamd.start(clamdDir, "ReadTimeout 1", "IdleTimeout 1"));
        ClamdProxy proxy = closing(new ClamdProxy(clamd.port()));
        TestMails mails = new TestMails(dir);
        ClamAvCheck check = closing(tcp(dir, proxy.port(), ""));
        assertThat(scan(check, clean(mails, 1)).scores().getFirst().detail()).isEqualTo("clean");
        assertThat(scan(check, clean(mails, 2)).scores().getFirst().detail()).isEqualTo("clean");
        assertThat(proxy.connections()).isEqualTo(1);

        ClamAvCheckTest.waitFor(() -> proxy.open() == 0, "clamd to end the idle session (ReadTimeout)");

        assertThat(scan(check, infected(mails, 3)).flags()).containsExactly("virus=" + TestClamd.FOUND_NAME);
        assertThat(proxy.connections()).isEqualTo(2);
        assertThat(check.clamd().connectionsOpened()).as("no failed attempt on the dead session").isEqualTo(2);
    }

    @Test
    void thePipelineGivingUpOnTheScanIsAFailureAsAnyOther() {
        ClamAvCheck tempfail = closing(tcp(dir, 3310, ""));
        ClamAvCheck skip = closing(tcp(dir, 3310, "on_failure: skip\n"));

        assertThat(tempfail.failed("timeout after 15s").finalWord()).isEqualTo(DEFERRED);
        assertThat(tempfail.failed("timeout after 15s").scores().getFirst().detail()).isEqualTo("failed: clamd 127.0.0.1:3310: timeout after 15s");
        assertThat(skip.failed("timeout after 15s").scores()).containsExactly(new Score("ClamAV", 0, "skipped: clamd 127.0.0.1:3310: timeout after 15s"));
    }
}
