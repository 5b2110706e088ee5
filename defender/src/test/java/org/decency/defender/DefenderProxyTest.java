package org.decency.defender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.decency.config.ConfigException;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.detective.smtp.SmtpReply;
import org.decency.testkit.SmtpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Defender as Postfix's before-queue proxy ({@code mode: prequeue}), through its socket:
 * a client that talks as Postfix's smtpd does to an {@code smtpd_proxy_filter} (its own
 * EHLO, the client's facts in XFORWARD, MAIL, RCPT, DATA with its own Received: field on
 * top), and a recording {@link NextHop} where accepted mail is passed on.
 */
class DefenderProxyTest extends DefenderTestBase {

    static final String DETECTIVE = """
            detective:
              spool_dir: spool
              no_session_identifier: 1
              reinject: {host: 127.0.0.1, port: ${HOP}, timeout: 10s}
              spam: {behavior: scoring, threshold: -50, handle: bounce, noisy_headers: 1}
              virus: {handle: bounce}
            """;

    NextHop hop;

    @BeforeEach
    void startNextHop() {
        hop = new NextHop(dir.resolve("hop"));
    }

    @AfterEach
    void stopNextHop() {
        hop.close();
    }

    /** A Defender in prequeue mode from this YAML; {@code ${HOP}} is the next hop's port. */
    Defender proxy(String yaml) {
        return start("mode: prequeue\n" + yaml.replace("${HOP}", Integer.toString(hop.port())));
    }

    /** What Postfix's smtpd does when its client says MAIL FROM: connect, EHLO, XFORWARD with the client's facts. */
    SmtpClient smtpd(String ip, String name) {
        SmtpClient c = SmtpClient.connect(defender.port());
        assertThat(c.read().code()).isEqualTo(220);
        SmtpClient.Reply ehlo = c.cmd("EHLO mx.example.org");
        assertThat(ehlo.code()).isEqualTo(250);
        assertThat(ehlo.texts()).contains("PIPELINING", "8BITMIME", "DSN", "ENHANCEDSTATUSCODES", "XFORWARD NAME ADDR PORT PROTO HELO IDENT SOURCE");
        // Postfix splits the attributes over commands of at most 512 bytes; these are two as it may send them
        assertThat(c.cmd("XFORWARD NAME=" + name + " ADDR=" + ip + " PORT=4711 HELO=" + name).code()).isEqualTo(250);
        assertThat(c.cmd("XFORWARD IDENT=[UNAVAILABLE] PROTO=ESMTP SOURCE=REMOTE").code()).isEqualTo(250);
        return c;
    }

    SmtpClient smtpd() {
        return smtpd("198.51.100.7", "mail.example.net");
    }

    /** A mail as Postfix's smtpd passes it: its own Received: field first. */
    static String mail(String subject, String extraHeaders, String body) {
        return "Received: from mail.example.net (mail.example.net [198.51.100.7])\r\n\tby mx.example.org (Postfix) with ESMTP id 4QONE\r\n"
                + "\tfor <bob@example.org>; Mon, 23 Nov 2026 20:17:31 +0000 (UTC)\r\n"
                + "From: Alice <alice@example.net>\r\nTo: <bob@example.org>\r\nSubject: " + subject + "\r\n" + extraHeaders
                + "Message-ID: <m1@example.net>\r\n\r\n" + body;
    }

    static String ham() {
        return mail("hello", "", "Hi Bob\r\n");
    }

    /** The files in one of the proxy's spool folders. */
    List<String> spool(String folder) {
        Path d = settings.spoolDir().resolve("defender").resolve(folder);
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Nothing left of any mail: it went on, was refused or dropped. */
    void assertNothingKept() {
        long until = System.currentTimeMillis() + 5_000;
        while (!(spool("incoming").isEmpty() && spool("processing").isEmpty()) && System.currentTimeMillis() < until) {
            Thread.onSpinWait();
        }
        assertThat(spool("incoming")).as("incoming/").isEmpty();
        assertThat(spool("processing")).as("processing/").isEmpty();
        assertThat(spool("failed")).as("failed/").isEmpty();
        assertThat(spool("quarantine")).as("quarantine/").isEmpty();
    }

    // ---- the envelope

    @Test
    void aBlacklistedClientIsRefusedAtRcptWithTheDoormansTextAndNothingGoesOn() {
        proxy("doorman:\n  modules:\n    - CBL: {ips: {\"*\": [192.0.2.66]}, reject_message: \"Blacklisted\"}\n"
                + DETECTIVE + "  modules:\n    - Alpha: {}\n");
        try (LogCapture decisions = new LogCapture("decency.decision"); SmtpClient c = smtpd("192.0.2.66", "listed.example.net")) {
            assertThat(c.cmd("MAIL FROM:<mallory@example.com> SIZE=300").code()).isEqualTo(250);
            SmtpClient.Reply r = c.cmd("RCPT TO:<bob@example.org>");
            assertThat(r.code()).isEqualTo(554);
            assertThat(r.text()).matches("5\\.7\\.1 Blacklisted \\[\\d{4}[a-z0-9]{13}]");
            assertThat(c.cmd("DATA").code()).as("no recipient left").isEqualTo(554);
            assertThat(decisions.lines()).singleElement().asString()
                    .startsWith("defender id=").contains(" stage=RCPT ", "client=listed.example.net[192.0.2.66]", "to=<bob@example.org>",
                            "action=554 5.7.1 Blacklisted [", "decided_by=CBL");
        }
        assertThat(hop.mails).isEmpty();
        assertNothingKept();
    }

    @Test
    void greylistingDefersTheRecipientWith450AsPostfixDoesForAPolicyServer() {
        proxy("doorman:\n  modules:\n    - Greylist: {}\n" + DETECTIVE + "  modules:\n    - Alpha: {}\n");
        try (SmtpClient c = smtpd()) {
            c.cmd("MAIL FROM:<alice@example.net>");
            SmtpClient.Reply r = c.cmd("RCPT TO:<bob@example.org>");
            assertThat(r.code()).isEqualTo(450);
            assertThat(r.text()).startsWith("4.7.1 Greylisted, please retry in ");
        }
    }

    @Test
    void aLiteralReplyOfACheckIsSentAsItIs() {
        proxy("doorman:\n  no_session_identifier: 1\n  modules:\n    - Alpha: {stages: [rcpt], final: \"452\", final_text: \"4.5.3 Slow down\"}\n"
                + DETECTIVE + "  modules:\n    - Beta: {}\n");
        try (SmtpClient c = smtpd()) {
            c.cmd("MAIL FROM:<alice@example.net>");
            assertThat(c.cmd("RCPT TO:<bob@example.org>").toString()).isEqualTo("452 4.5.3 Slow down");
        }
    }

    @Test
    void theStagesBeforeRcptAreAskedAtMailFromAndARefusalThereIsTheReplyToIt() {
        proxy("doorman:\n  stages: [connect, helo, mail, rcpt]\n  no_session_identifier: 1\n  modules:\n"
                + "    - Alpha: {stages: [helo], score: -5}\n"
                + "    - Beta: {stages: [mail], final: REJECT, final_text: \"Not from you\"}\n"
                + DETECTIVE + "  modules:\n    - Gamma: {}\n");
        try (SmtpClient c = smtpd()) {
            assertThat(c.cmd("MAIL FROM:<spammer@example.com>").toString()).isEqualTo("554 5.7.1 Not from you");
            assertThat(c.cmd("RCPT TO:<bob@example.org>").code()).as("no transaction").isEqualTo(503);
        }
        assertThat(journal.seen).extracting(Transaction::stage).containsExactly(Stage.HELO, Stage.MAIL);
        Transaction helo = journal.seen.getFirst();
        assertThat(helo.clientAddress()).isEqualTo("198.51.100.7");
        assertThat(helo.connection().helo()).isEqualTo("mail.example.net");
        assertThat(helo.attributes()).containsEntry("protocol_state", "HELO").containsEntry("client_name", "mail.example.net");
        assertThat(helo.sender().raw()).isEqualTo("spammer@example.com");
    }

    // ---- the end of DATA

    @Test
    void theDoormansScoreAndTheDetectivesMakeOneScoreAndSpamIsRefusedWithTheSpamReply() {
        // neither -30 alone reaches -50; together they do
        proxy("doorman:\n  modules:\n    - Alpha: {stages: [rcpt], score: -30}\n" + DETECTIVE + "  modules:\n    - Beta: {score: -30}\n");
        try (LogCapture decisions = new LogCapture("decency.decision"); SmtpClient c = smtpd()) {
            assertThat(c.cmd("MAIL FROM:<alice@example.net> SIZE=200").code()).isEqualTo(250);
            assertThat(c.cmd("RCPT TO:<bob@example.org>").code()).isEqualTo(250);
            assertThat(c.data(ham()).toString()).isEqualTo("554 5.7.1 SPAM detected");
            assertThat(decisions.lines()).singleElement().asString()
                    .startsWith("defender id=").contains(" stage=MESSAGE ", " queue_id=4QONE ", "client=mail.example.net[198.51.100.7]",
                            "helo=<mail.example.net>", "action=bounce/spam 554 5.7.1 SPAM detected", "score=-60", "threshold=-50",
                            "checks: Alpha=-30 Beta=-30");
        }
        Transaction rcpt = journal.seen.get(0);
        Transaction message = journal.seen.get(1);
        assertThat(rcpt.id()).as("one transaction id from MAIL on").isEqualTo(message.id());
        assertThat(rcpt.envelope().instance()).isEqualTo(message.id());
        assertThat(rcpt.envelope().size()).isEqualTo(200);
        assertThat(message.clientAddress()).isEqualTo("198.51.100.7");
        assertThat(message.connection().protocol()).isEqualTo("ESMTP");
        assertThat(hop.mails).isEmpty();
        assertNothingKept();
    }

    @Test
    void ofSeveralRecipientsTheLowestDoormanScoreCounts() {
        proxy("doorman:\n  recipient_delimiter: \"+\"\n  modules:\n    - Alpha: {stages: [rcpt], score: -10}\n"
                + DETECTIVE + "  modules:\n    - Beta: {}\n");
        try (SmtpClient c = smtpd()) {
            SmtpClient.Reply r = c.mail("alice@example.net", List.of("bob+tag@example.org", "carol@example.org"), ham());
            assertThat(r.code()).isEqualTo(250);
        }
        assertThat(journal.seen.getFirst().recipient().raw()).as("the Doorman sees the address without its extension")
                .isEqualTo("bob@example.org");
        assertThat(hop.only().envelope().recipientAddresses()).containsExactly("bob+tag@example.org", "carol@example.org");
        assertThat(hop.only().header().lines()).contains("X-Decency-Score: -10", "X-Decency-Details: Alpha=-10; Beta=0");
    }

    @Test
    void aVirusIsRefusedWithTheVirusReplyWhichMayBringItsOwnCode() {
        proxy("detective_virus_reply: \"550 5.7.0 No viruses here\"\n" + DETECTIVE + "  modules:\n    - Alpha: {flag: virus=EICAR}\n");
        try (SmtpClient c = smtpd()) {
            assertThat(c.mail("alice@example.net", List.of("bob@example.org"), ham()).toString()).isEqualTo("550 5.7.0 No viruses here");
        }
        assertThat(hop.mails).isEmpty();
        assertNothingKept();
    }

    @Test
    void hamGoesOnWithTheXDecencyFieldsTheEnvelopeAndXforwardAndTheClientHearsTheNextHops250() {
        proxy("doorman:\n  modules:\n    - Alpha: {stages: [rcpt], final: PREPEND, final_text: \"X-Doorman: looked at\"}\n"
                + DETECTIVE + "  modules:\n    - Beta: {score: -5}\n");
        try (SmtpClient c = smtpd()) {
            assertThat(c.cmd("MAIL FROM:<alice@example.net> RET=HDRS ENVID=e1 BODY=8BITMIME").code()).isEqualTo(250);
            assertThat(c.cmd("RCPT TO:<bob@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@example.org").code()).isEqualTo(250);
            SmtpClient.Reply r = c.data(mail("hello", "X-Decency-Result: GOOD (forged)\r\n", "Hi Bob\r\n.hidden dot\r\n"));
            assertThat(r.code()).isEqualTo(250);
            assertThat(r.text()).as("the next hop's own queue id: it had taken the mail").endsWith("delivered to 127.0.0.1:" + hop.port()
                    + " as 4QNEXT");
        }
        NextHop.Mail m = hop.only();
        assertThat(m.envelope().sender()).isEqualTo("alice@example.net");
        assertThat(m.envelope().senderParams()).contains("RET=HDRS", "ENVID=e1", "BODY=8BITMIME");
        assertThat(m.envelope().recipients().getFirst().params()).contains("NOTIFY=SUCCESS,FAILURE", "ORCPT=rfc822;bob@example.org");
        assertThat(m.envelope().xforward()).containsEntry("ADDR", "198.51.100.7").containsEntry("NAME", "mail.example.net")
                .containsEntry("HELO", "mail.example.net").containsEntry("PROTO", "ESMTP");
        assertThat(m.header().lines()).as(m.data()).startsWith("X-Decency-Result: GOOD", "X-Decency-Score: -5")
                .contains("X-Decency-Details: Alpha=0; Beta=-5", "X-Doorman: looked at")
                .noneMatch(l -> l.contains("GOOD (forged)"));
        assertThat(m.data()).as("the Doorman's field on top of the mail Postfix passed").contains("X-Doorman: looked at\r\nReceived: from"
                + " mail.example.net").endsWith("\r\n\r\nHi Bob\r\n.hidden dot\r\n");
        assertNothingKept();
    }

    @Test
    void spamTaggedGoesOnWithItsFieldsAndTheSubjectPrefix() {
        proxy(DETECTIVE.replace("handle: bounce, noisy_headers: 1", "handle: tag, subject_prefix: \"[SPAM]\"")
                + "  modules:\n    - Alpha: {score: -80}\n");
        try (SmtpClient c = smtpd()) {
            SmtpClient.Reply r = c.mail("alice@example.net", List.of("bob@example.org"), ham());
            assertThat(r.code()).isEqualTo(250);
            assertThat(r.text()).contains("tagged, delivered to");
        }
        assertThat(hop.only().header().lines()).contains("Subject: [SPAM] hello", "X-Decency-Result: SPAM");
    }

    @Test
    void aDoormanHoldQuarantinesTheMailAndADiscardDropsItWithoutTheContentChecks() {
        proxy("doorman:\n  modules:\n    - Alpha: {stages: [rcpt], final: HOLD, final_text: \"look at this\"}\n"
                + DETECTIVE + "  modules:\n    - Beta: {}\n");
        try (SmtpClient c = smtpd()) {
            SmtpClient.Reply r = c.mail("alice@example.net", List.of("bob@example.org"), ham());
            assertThat(r.code()).isEqualTo(250);
            assertThat(r.text()).contains("quarantined (good)");
        }
        assertThat(hop.mails).isEmpty();
        assertThat(spool("quarantine")).hasSize(3).anyMatch(f -> f.endsWith(".reason"));
        defender.close();
        journal.seen.clear();

        proxy("doorman:\n  modules:\n    - Alpha: {stages: [rcpt], final: DISCARD}\n" + DETECTIVE + "  modules:\n    - Beta: {}\n");
        try (LogCapture decisions = new LogCapture("decency.decision"); SmtpClient c = smtpd()) {
            SmtpClient.Reply r = c.mail("alice@example.net", List.of("bob@example.org"), ham());
            assertThat(r.code()).isEqualTo(250);
            assertThat(r.text()).contains("dropped (drop)");
            assertThat(decisions.lines()).anySatisfy(l -> assertThat(l).contains(" stage=RCPT ", "continue (dropped at the end of DATA)"))
                    .anySatisfy(l -> assertThat(l).contains(" stage=MESSAGE ", "action=delete/drop 250"));
        }
        assertThat(hop.mails).isEmpty();
        assertThat(journal.seen).as("the content checks are not asked").extracting(Transaction::stage).containsExactly(Stage.RCPT);
    }

    @Test
    void aCheckThatCannotDecideNowHasTheClientTryAgain() {
        proxy(DETECTIVE + "  modules:\n    - Alpha: {final: DEFER, final_text: \"clamd is down\"}\n");
        try (SmtpClient c = smtpd()) {
            assertThat(c.mail("alice@example.net", List.of("bob@example.org"), ham()).toString()).isEqualTo("451 4.3.0 clamd is down");
        }
        assertThat(hop.mails).isEmpty();
        assertNothingKept();
    }

    @Test
    void aCheckRefusingWithItsOwnCodeIsHeardWithIt() {
        proxy(DETECTIVE + "  modules:\n    - Alpha: {final: \"550\", final_text: \"5.7.0 No executables\"}\n");
        try (SmtpClient c = smtpd()) {
            assertThat(c.mail("alice@example.net", List.of("bob@example.org"), ham()).toString()).isEqualTo("550 5.7.0 No executables");
        }
    }

    // ---- the next hop

    @Test
    void whenTheNextHopCannotTakeTheMailTheClientHearsSoAndNothingIsKept() {
        proxy(DETECTIVE + "  modules:\n    - Alpha: {}\n");
        hop.answer = e -> SmtpReply.of(451, "4.3.0", "Queue full");
        try (SmtpClient c = smtpd()) {
            assertThat(c.mail("alice@example.net", List.of("bob@example.org"), ham()).toString())
                    .isEqualTo("451 4.4.1 Next hop unavailable; try again later");
        }
        hop.answer = e -> SmtpReply.of(554, "5.7.1", "Not here");
        try (SmtpClient c = smtpd()) {
            assertThat(c.mail("alice@example.net", List.of("bob@example.org"), ham()).toString()).startsWith("554 5.6.0 Refused by the next hop: ");
        }
        hop.close();
        try (SmtpClient c = smtpd()) {
            assertThat(c.mail("alice@example.net", List.of("bob@example.org"), ham()).code()).as("the next hop down").isEqualTo(451);
        }
        assertThat(hop.mails).isEmpty();
        assertNothingKept();
    }

    @Test
    void bounceOnReinjectFailureRefusesForGoodInstead() {
        proxy(DETECTIVE.replace("  spool_dir: spool\n", "  spool_dir: spool\n  bounce_on_reinject_failure: 1\n")
                + "  modules:\n    - Alpha: {}\n");
        hop.close();
        try (SmtpClient c = smtpd()) {
            assertThat(c.mail("alice@example.net", List.of("bob@example.org"), ham()).toString()).isEqualTo("554 5.4.0 Next hop unavailable");
        }
    }

    // ---- the session

    @Test
    void severalMailsOnOneConnectionAreEachTheirOwnTransaction() {
        proxy("doorman:\n  modules:\n    - Alpha: {stages: [rcpt], score: -1}\n" + DETECTIVE + "  modules:\n    - Beta: {}\n");
        try (SmtpClient c = smtpd()) {
            assertThat(c.mail("alice@example.net", List.of("bob@example.org"), ham()).code()).isEqualTo(250);
            assertThat(c.cmd("MAIL FROM:<carol@example.net>").code()).isEqualTo(250);
            assertThat(c.cmd("RSET").code()).as("an abandoned transaction").isEqualTo(250);
            // each transaction's client comes with it: XFORWARD holds until the end of the next one
            assertThat(c.cmd("XFORWARD NAME=other.example.net ADDR=198.51.100.8 HELO=other.example.net").code()).isEqualTo(250);
            assertThat(c.mail("dave@example.net", List.of("erin@example.org"), ham()).code()).isEqualTo(250);
            assertThat(c.cmd("QUIT").code()).isEqualTo(221);
        }
        assertThat(hop.mails).extracting(m -> m.envelope().sender()).containsExactly("alice@example.net", "dave@example.net");
        assertThat(hop.mails).extracting(m -> m.envelope().xforward().get("ADDR")).containsExactly("198.51.100.7", "198.51.100.8");
        assertThat(journal.seen.stream().filter(t -> t.stage() == Stage.RCPT).map(Transaction::id).distinct()).hasSize(2);
        assertNothingKept();
    }

    @Test
    void withoutXforwardTheProxysPeerIsTheClient() {
        proxy("doorman:\n  modules:\n    - CBL: {ips: {\"*\": [127.0.0.1]}}\n" + DETECTIVE + "  modules:\n    - Alpha: {}\n");
        try (SmtpClient c = SmtpClient.ehlo(defender.port())) {
            assertThat(c.mail("alice@example.net", List.of("bob@example.org"), ham()).code())
                    .as("a local client: the Doorman's checks skip it, as Postfix's own mail").isEqualTo(250);
        }
        assertThat(hop.only().envelope().xforward()).isEmpty();
    }

    @Test
    void aMailOverMaxMessageSizeIsRefused() {
        proxy("server: {host: 127.0.0.1, port: 0, limits: {max_message_size: 2k}}\n" + DETECTIVE + "  modules:\n    - Alpha: {}\n");
        try (SmtpClient c = smtpd()) {
            assertThat(c.cmd("MAIL FROM:<alice@example.net> SIZE=5000").toString()).isEqualTo("552 5.3.4 Message size exceeds fixed limit");
            assertThat(c.mail("alice@example.net", List.of("bob@example.org"), mail("big", "", ("y".repeat(100) + "\r\n").repeat(30)))
                    .toString()).isEqualTo("552 5.3.4 Message size exceeds fixed limit");
        }
        assertThat(hop.mails).isEmpty();
        assertNothingKept();
    }

    @Test
    void moreSessionsThanMaxConnectionsAreToldToComeBack() {
        proxy("server: {host: 127.0.0.1, port: 0, max_connections: 1}\n" + DETECTIVE + "  modules:\n    - Alpha: {}\n");
        try (SmtpClient first = smtpd(); SmtpClient second = SmtpClient.connect(defender.port())) {
            assertThat(second.read().code()).isEqualTo(421);
            assertThat(first.mail("alice@example.net", List.of("bob@example.org"), ham()).code()).isEqualTo(250);
        }
    }

    // ---- the config

    @Test
    void prequeueWithoutReinjectIsAClearConfigError() {
        assertThatThrownBy(() -> start("mode: prequeue\ndetective:\n  spool_dir: spool\n  modules:\n    - Alpha: {}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("defender.yml:4: detective: mode: prequeue needs detective.reinject: where the proxy passes"
                        + " accepted mail on");
        assertThatThrownBy(() -> start("mode: prequeue\ndoorman:\n  modules:\n    - Alpha: {stages: [rcpt]}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mode: prequeue needs detective.reinject");
    }

    @Test
    void whatHasNoEffectInPrequeueModeIsNamed() {
        proxy("detective_enforce_reinject: 1\nserver: {host: 127.0.0.1, port: 0, limits: {oversize: accept}}\n"
                + DETECTIVE.replace("  virus: {handle: bounce}\n", "  virus: {handle: bounce, notify_recipient: 1}\n")
                + "  modules:\n    - Alpha: {}\n");
        assertThat(String.join("\n", warnings))
                .contains("detective_enforce_reinject has no effect in prequeue mode")
                .contains("oversize: accept has no effect in prequeue mode")
                .doesNotContain("notifications");
        assertThat(settings.limits().oversize()).isEqualTo(DefenderSettings.Oversize.REJECT);
        assertThat(settings.mode()).isEqualTo(DefenderSettings.Mode.PREQUEUE);
    }
}
