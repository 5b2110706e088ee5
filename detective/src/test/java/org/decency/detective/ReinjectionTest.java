package org.decency.detective;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.decency.detective.smtp.SmtpReply;
import org.decency.detective.spool.SpooledEnvelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.decency.testkit.SmtpClient;

/** Passing mail on: the envelope as it came, failover, copies, kept connections, STARTTLS and AUTH. */
class ReinjectionTest extends DetectiveTestBase {

    NextHop second() {
        NextHop h = new NextHop(dir.resolve("hop2")).start();
        closing.add(h);
        return h;
    }

    @Test
    void theEnvelopeIsPassedOnExactlyAndTheQueueIdReported() {
        start("");
        SmtpClient.Reply r;
        try (SmtpClient c = client()) {
            assertThat(c.cmd("MAIL FROM:<sender@example.net> RET=HDRS ENVID=abc+2Bdef BODY=8BITMIME SMTPUTF8 SIZE=123").code())
                    .isEqualTo(250);
            assertThat(c.cmd("RCPT TO:<a@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a+2Bx@example.org").code()).isEqualTo(250);
            assertThat(c.cmd("RCPT TO:<b@example.org> NOTIFY=NEVER").code()).isEqualTo(250);
            assertThat(c.cmd("RCPT TO:<c@example.org>").code()).isEqualTo(250);
            r = c.data(mail("envelope", "x\r\n"));
        }
        assertThat(r.code()).isEqualTo(250);
        assertThat(r.text()).isEqualTo("2.0.0 Ok: delivered to 127.0.0.1:" + hop.port() + " as ABC123");
        NextHop.Mail m = hop.only();
        assertThat(m.sender()).isEqualTo("sender@example.net");
        assertThat(m.envelope().senderParams()).isEqualTo("SIZE=" + m.bytes().length + " RET=HDRS ENVID=abc+2Bdef BODY=8BITMIME SMTPUTF8");
        assertThat(m.envelope().recipients()).containsExactly(
                new SpooledEnvelope.Recipient("a@example.org", "NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a+2Bx@example.org"),
                new SpooledEnvelope.Recipient("b@example.org", "NOTIFY=NEVER"),
                new SpooledEnvelope.Recipient("c@example.org", ""));
        assertSpoolEmpty();
    }

    @Test
    void whatTheTargetDoesNotOfferIsNotPassedOn() {
        Gate gate = new Gate(hop.port(), null, null, null, Set.of());
        gate.hide = Set.of("DSN", "8BITMIME", "XFORWARD", "SIZE");
        closing.add(gate);
        start("reinject: {host: 127.0.0.1, port: " + gate.port() + "}\n");
        try (SmtpClient c = client()) {
            assertThat(c.cmd("XFORWARD ADDR=192.0.2.7 NAME=mail.example.com").code()).isEqualTo(250);
            assertThat(c.cmd("MAIL FROM:<sender@example.net> RET=FULL ENVID=e1 BODY=8BITMIME SMTPUTF8 SIZE=10").code()).isEqualTo(250);
            assertThat(c.cmd("RCPT TO:<a@example.org> NOTIFY=NEVER ORCPT=rfc822;a@example.org").code()).isEqualTo(250);
            assertThat(c.data(mail("plain target", "x\r\n")).code()).isEqualTo(250);
        }
        NextHop.Mail m = hop.only();
        // SMTPUTF8 goes on regardless: a target without it must refuse the mail rather than mangle it
        assertThat(m.envelope().senderParams()).isEqualTo("SMTPUTF8");
        assertThat(m.envelope().recipients()).containsExactly(new SpooledEnvelope.Recipient("a@example.org", ""));
        assertThat(m.envelope().xforward()).isEmpty();
        assertThat(journal.seen.getFirst().connection().clientAddress()).isEqualTo("192.0.2.7");
        assertSpoolEmpty();
    }

    @ParameterizedTest(name = "pipelining offered: {0}")
    @ValueSource(booleans = {true, false})
    void commandsArePipelinedWhereTheTargetOffersItAndSentOneByOneWhereNot(boolean offered) {
        Gate gate = gate(offered);
        start("reinject: {host: 127.0.0.1, port: " + gate.port() + "}\n");
        for (int i = 0; i < 2; i++) assertThat(send(mail("m" + i, "x\r\n"), "sender@example.net", "a@example.org", "b@example.org").code()).isEqualTo(250);
        assertThat(hop.await(2)).allSatisfy(m -> assertThat(m.recipients()).containsExactly("a@example.org", "b@example.org"));
        assertThat(gate.pipelined.get()).isEqualTo(offered ? 2 : 0);
        assertSpoolEmpty();
    }

    @ParameterizedTest(name = "pipelining offered: {0}")
    @ValueSource(booleans = {true, false})
    void aDeferredRecipientDefersTheWholeMailAndNothingIsDelivered(boolean offered) {
        Gate gate = gate(offered);
        gate.defer = Set.of("b@example.org");
        start("reinject: {host: 127.0.0.1, port: " + gate.port() + "}\n");
        SmtpClient.Reply r = send(mail("half", "x\r\n"), "sender@example.net", "a@example.org", "b@example.org");
        assertThat(r.code()).isEqualTo(451);
        // pipelined, the next hop said 354 before the deferral could be acted on: the connection was dropped instead
        gate.defer = Set.of();
        assertThat(send(mail("whole", "x\r\n"), "sender@example.net", "a@example.org", "b@example.org").code()).isEqualTo(250);
        assertThat(hop.await(1)).extracting(m -> m.header("Subject")).containsExactly("whole");
        assertSpoolEmpty();
    }

    @ParameterizedTest(name = "pipelining offered: {0}")
    @ValueSource(booleans = {true, false})
    void whenEveryRecipientIsRefusedTheClientHearsItAndNothingIsDelivered(boolean offered) {
        Gate gate = new Gate(hop.port(), null, null, null, Set.of("a@example.org", "b@example.org"));
        if (!offered) gate.hide = Set.of("PIPELINING");
        closing.add(gate);
        start("reinject: {host: 127.0.0.1, port: " + gate.port() + "}\n");
        SmtpClient.Reply r = send(mail("nobody", "x\r\n"), "sender@example.net", "a@example.org", "b@example.org");
        assertThat(r.code()).isEqualTo(554);
        assertThat(r.text()).contains("no such user");
        assertThat(send(mail("after", "x\r\n"), "sender@example.net", "c@example.org").code()).isEqualTo(250);
        assertThat(hop.await(1)).extracting(m -> m.header("Subject")).containsExactly("after");
        assertSpoolEmpty();
    }

    private Gate gate(boolean pipelining) {
        Gate gate = new Gate(hop.port(), null, null, null, Set.of());
        if (!pipelining) gate.hide = Set.of("PIPELINING");
        closing.add(gate);
        return gate;
    }

    @Test
    void theNullSenderStaysNull() {
        start("");
        assertThat(send(mail("bounce", "x\r\n"), "", "user@example.org").code()).isEqualTo(250);
        assertThat(hop.only().sender()).isEmpty();
    }

    @Test
    void aTargetThatIsDownIsSkipped() {
        start("reinject:\n  - {host: 127.0.0.1, port: ${CLOSED}}\n  - {host: 127.0.0.1, port: ${HOP}}\n");
        SmtpClient.Reply r = send(mail("failover", "x\r\n"));
        assertThat(r.code()).isEqualTo(250);
        assertThat(r.text()).contains("127.0.0.1:" + hop.port());
        assertThat(hop.only().header("Subject")).isEqualTo("failover");
        assertSpoolEmpty();
    }

    @Test
    void aTargetThatDefersIsSkipped() {
        NextHop second = second();
        hop.answer = e -> SmtpReply.of(451, "4.3.0", "Try later");
        start("reinject:\n  - {host: 127.0.0.1, port: ${HOP}}\n  - {host: 127.0.0.1, port: " + second.port() + "}\n");
        SmtpClient.Reply r = send(mail("deferred first", "x\r\n"));
        assertThat(r.code()).isEqualTo(250);
        assertThat(r.text()).contains("127.0.0.1:" + second.port());
        assertThat(hop.mails).isEmpty();
        assertThat(second.only().header("Subject")).isEqualTo("deferred first");
        assertSpoolEmpty();
    }

    @Test
    void aPermanentRefusalIsNotFailedOverAndTheClientHearsIt() {
        NextHop second = second();
        hop.answer = e -> SmtpReply.of(554, "5.7.1", "Go away");
        start("reinject:\n  - {host: 127.0.0.1, port: ${HOP}}\n  - {host: 127.0.0.1, port: " + second.port() + "}\n");
        SmtpClient.Reply r = send(mail("refused", "x\r\n"));
        assertThat(r.code()).isEqualTo(554);
        assertThat(r.text()).contains("Go away");
        assertThat(hop.mails).isEmpty();
        assertThat(second.mails).isEmpty();
        assertSpoolEmpty();
    }

    @Test
    void whenNoTargetTakesTheMailTheSenderKeepsIt() {
        start("reinject:\n  - {host: 127.0.0.1, port: ${CLOSED}}\n  - {host: 127.0.0.1, port: ${CLOSED}}\n");
        SmtpClient.Reply r = send(mail("nobody", "x\r\n"));
        assertThat(r.code()).isEqualTo(451);
        assertThat(r.text()).startsWith("4.4.1");
        assertSpoolEmpty();
    }

    @Test
    void whenNoTargetTakesTheMailItIsBouncedIfSoConfigured() {
        start("reinject: {host: 127.0.0.1, port: ${CLOSED}}\nbounce_on_reinject_failure: 1\n");
        SmtpClient.Reply r = send(mail("nobody", "x\r\n"));
        assertThat(r.code()).isEqualTo(554);
        assertSpoolEmpty();
    }

    @Test
    void copyTargetsGetACopyAndTheirFailureChangesNothing() {
        NextHop copy = second();
        NextHop refusing = new NextHop(dir.resolve("hop3")).start();
        closing.add(refusing);
        refusing.answer = e -> SmtpReply.of(554, "5.0.0", "No copies here");
        start("reinject:\n  - {host: 127.0.0.1, port: ${HOP}}\n  - {host: 127.0.0.1, port: " + copy.port() + ", copy: 1}\n"
                + "  - {host: 127.0.0.1, port: ${CLOSED}, copy: 1}\n  - {host: 127.0.0.1, port: " + refusing.port() + ", copy: 1}\n");
        SmtpClient.Reply r = send(mail("copied", "x\r\n"));
        assertThat(r.code()).isEqualTo(250);
        assertThat(r.text()).contains("127.0.0.1:" + hop.port());
        assertThat(hop.only().header("Subject")).isEqualTo("copied");
        assertThat(copy.only().bytes()).isEqualTo(hop.only().bytes());
        assertThat(copy.only().recipients()).containsExactly("user@example.org");
        assertThat(refusing.mails).isEmpty();
        assertSpoolEmpty();
    }

    @Test
    void noCopyWhenNoPrimaryTookTheMail() {
        NextHop copy = second();
        start("reinject:\n  - {host: 127.0.0.1, port: ${CLOSED}}\n  - {host: 127.0.0.1, port: " + copy.port() + ", copy: 1}\n");
        assertThat(send(mail("nobody", "x\r\n")).code()).isEqualTo(451);
        assertThat(copy.mails).isEmpty();
        assertSpoolEmpty();
    }

    @Test
    void aKeptConnectionToARestartedTargetIsReplaced() {
        start("");
        assertThat(send(mail("one", "x\r\n")).code()).isEqualTo(250);
        hop.restart();
        assertThat(send(mail("two", "x\r\n")).code()).isEqualTo(250);
        List<NextHop.Mail> got = hop.await(2);
        assertThat(got).extracting(NextHop.Mail::generation).containsExactly(1, 2);
        assertThat(got.get(1).header("Subject")).isEqualTo("two");
        assertSpoolEmpty();
    }

    @Test
    void aKeptConnectionTheTargetTimedOutWith421IsReplaced() {
        hop.close();
        closing.remove(hop);
        hop = new NextHop(dir.resolve("slowhop"), false, Duration.ofMillis(300)).start();
        closing.add(hop);
        start("");
        assertThat(send(mail("one", "x\r\n")).code()).isEqualTo(250);
        Wait.until(() -> hop.server().sessions() == 0, "the next hop to drop the idle connection");
        SmtpClient.Reply r = send(mail("two", "x\r\n"));
        assertThat(r.code()).isEqualTo(250);
        assertThat(hop.await(2)).extracting(m -> m.header("Subject")).containsExactly("one", "two");
        assertSpoolEmpty();
    }

    @Test
    void connectionsAreKeptBetweenMails() {
        start("");
        for (int i = 0; i < 3; i++) assertThat(send(mail("m" + i, "x\r\n")).code()).isEqualTo(250);
        assertThat(hop.await(3)).hasSize(3);
        assertThat(hop.server().sessions()).as("one kept connection").isEqualTo(1);
    }

    @Test
    void startTlsToTheNextHop() throws Exception {
        Path ks = TestTls.keyStore(dir);
        Gate gate = new Gate(hop.port(), TestTls.server(ks), null, null, Set.of());
        closing.add(gate);
        start("reinject: {host: 127.0.0.1, port: " + gate.port() + ", tls: 1, tls_verify: 0}\n");
        assertThat(send(mail("secret", "x\r\n")).code()).isEqualTo(250);
        assertThat(gate.events).containsExactly("tls");
        assertThat(hop.only().header("Subject")).isEqualTo("secret");
        assertSpoolEmpty();
    }

    @Test
    void tlsFromTheFirstByte() throws Exception {
        Path ks = TestTls.keyStore(dir);
        Gate gate = new Gate(hop.port(), TestTls.server(ks), null, null, Set.of());
        gate.implicitTls = true;
        closing.add(gate);
        start("reinject: {host: 127.0.0.1, port: " + gate.port() + ", ssl: 1, tls_verify: 0}\n");
        assertThat(send(mail("secret", "x\r\n")).code()).isEqualTo(250);
        assertThat(gate.events).containsExactly("tls");
        assertThat(hop.only().header("Subject")).isEqualTo("secret");
        assertSpoolEmpty();
    }

    @Test
    void anUntrustedCertificateIsRefusedWhenVerifying() throws Exception {
        Path ks = TestTls.keyStore(dir);
        Gate gate = new Gate(hop.port(), TestTls.server(ks), null, null, Set.of());
        closing.add(gate);
        start("reinject: {host: 127.0.0.1, port: " + gate.port() + ", tls: 1}\n");
        assertThat(send(mail("secret", "x\r\n")).code()).isEqualTo(451);
        assertThat(hop.mails).isEmpty();
        assertSpoolEmpty();
    }

    @Test
    void aTrustedCertificateMustAlsoBeForTheHost() throws Exception {
        Path ks = TestTls.keyStore(dir);
        Gate gate = new Gate(hop.port(), TestTls.server(ks), null, null, Set.of());
        closing.add(gate);
        SSLContext before = SSLContext.getDefault();
        SSLContext.setDefault(TestTls.trusting(ks));
        try {
            // the certificate is for 127.0.0.1, not for "localhost"
            start("reinject:\n  - {host: localhost, port: " + gate.port() + ", tls: 1}\n"
                    + "  - {host: 127.0.0.1, port: " + gate.port() + ", tls: 1}\n");
            SmtpClient.Reply r = send(mail("verified", "x\r\n"));
            assertThat(r.code()).isEqualTo(250);
            assertThat(r.text()).contains("127.0.0.1:" + gate.port());
        } finally {
            SSLContext.setDefault(before);
        }
        assertThat(hop.only().header("Subject")).isEqualTo("verified");
        assertSpoolEmpty();
    }

    @Test
    void tlsRequiredButNotOfferedDefers() {
        start("reinject: {host: 127.0.0.1, port: ${HOP}, tls: 1, tls_verify: 0}\n");
        assertThat(send(mail("plain", "x\r\n")).code()).isEqualTo(451);
        assertThat(hop.mails).isEmpty();
        assertSpoolEmpty();
    }

    @Test
    void authPlain() {
        Gate gate = new Gate(hop.port(), null, "decency", "s3cret", Set.of());
        closing.add(gate);
        start("reinject: {host: 127.0.0.1, port: " + gate.port() + ", user: decency, password: s3cret}\n");
        assertThat(send(mail("authed", "x\r\n")).code()).isEqualTo(250);
        assertThat(gate.events).containsExactly("auth PLAIN decency");
        assertThat(hop.only().header("Subject")).isEqualTo("authed");
    }

    @Test
    void authLogin() {
        Gate gate = new Gate(hop.port(), null, "decency", "s3cret", Set.of());
        gate.authOffer = "AUTH LOGIN";
        closing.add(gate);
        start("reinject: {host: 127.0.0.1, port: " + gate.port() + ", user: decency, password: s3cret}\n");
        assertThat(send(mail("authed", "x\r\n")).code()).isEqualTo(250);
        assertThat(gate.events).containsExactly("auth LOGIN decency");
        assertThat(hop.only().header("Subject")).isEqualTo("authed");
    }

    @Test
    void authAfterStartTls() throws Exception {
        Path ks = TestTls.keyStore(dir);
        Gate gate = new Gate(hop.port(), TestTls.server(ks), "decency", "s3cret", Set.of());
        closing.add(gate);
        start("reinject: {host: 127.0.0.1, port: " + gate.port() + ", tls: 1, tls_verify: 0, user: decency, password: s3cret}\n");
        assertThat(send(mail("authed", "x\r\n")).code()).isEqualTo(250);
        assertThat(gate.events).containsExactly("tls", "auth PLAIN decency");
        assertThat(hop.only().header("Subject")).isEqualTo("authed");
    }

    @Test
    void aRefusedLoginDefersTheMailInsteadOfBouncingIt() {
        Gate gate = new Gate(hop.port(), null, "decency", "s3cret", Set.of());
        closing.add(gate);
        start("reinject: {host: 127.0.0.1, port: " + gate.port() + ", user: decency, password: wrong}\n");
        SmtpClient.Reply r = send(mail("not authed", "x\r\n"));
        assertThat(r.code()).isEqualTo(451);
        assertThat(gate.events).containsExactly("auth failed");
        assertThat(hop.mails).isEmpty();
        assertSpoolEmpty();
    }
}
