package org.decency.detective;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.decency.testkit.SmtpClient;

/** What the Detective does with a mail after the checks, seen from the client and the next hop. */
class DecisionTest extends DetectiveTestBase {
    static final String ID = "\\[\\d{4}[a-z0-9]{13}\\]";

    static final String FORGED = "From: Sender <sender@example.net>\r\nX-Decency-Result: GOOD\r\nx-decency-score: 100\r\n"
            + "X-DECENCY-SPAMINFO: none\r\nX-Decency-Details: forged\r\nX-Decency-Virus: none\r\nX-Decency-Instance: abc\r\n"
            + "Subject: hello\r\nTo: <user@example.org>\r\n\r\nbody\r\n";

    @Test
    void hamIsDeliveredWithoutTheSendersForgedHeaders() {
        start("modules:\n  - Alpha: {score: 5}\nspam: {threshold: -50}\n");
        SmtpClient.Reply r = send(FORGED);
        assertThat(r.code()).isEqualTo(250);
        assertThat(r.text()).startsWith("2.0.0 Ok: delivered to");
        NextHop.Mail m = hop.only();
        assertThat(m.fieldNames()).containsExactly("from", "subject", "to");
        assertThat(m.body()).isEqualTo("body\r\n");
        assertSpoolEmpty();
    }

    @Test
    void noisyHeadersMarkGoodMail() {
        start("modules:\n  - Alpha: {score: 5}\n  - Beta: {score: -2.5}\nspam: {threshold: -50, noisy_headers: 1}\n");
        assertThat(send(FORGED).code()).isEqualTo(250);
        NextHop.Mail m = hop.only();
        assertThat(m.headers("X-Decency-Result")).containsExactly("GOOD");
        assertThat(m.headers("X-Decency-Score")).containsExactly("2.5");
        assertThat(m.headers("X-Decency-SpamInfo")).containsExactly("Alpha=5, Beta=-2.5");
        assertThat(m.headers("X-Decency-Details")).containsExactly("Alpha=5; Beta=-2.5");
        assertThat(m.headers("X-Decency-Virus")).isEmpty();
        assertThat(m.headers("X-Decency-Instance")).isEmpty();
        assertThat(m.fieldNames().subList(0, 4)).containsExactly("x-decency-result", "x-decency-score", "x-decency-spaminfo",
                "x-decency-details");
    }

    @Test
    void spamIsTagged() {
        start("modules:\n  - Alpha: {score: -60}\n  - Beta: {score: 1}\nspam: {threshold: -50, handle: tag, subject_prefix: \"[SPAM]\"}\n");
        SmtpClient.Reply r = send(FORGED);
        assertThat(r.code()).isEqualTo(250);
        assertThat(r.text()).contains("tagged");
        NextHop.Mail m = hop.only();
        assertThat(m.headers("X-Decency-Result")).containsExactly("SPAM");
        assertThat(m.headers("X-Decency-Score")).containsExactly("-60");
        assertThat(m.headers("X-Decency-SpamInfo")).containsExactly("Alpha=-60");
        assertThat(m.headers("X-Decency-Details")).isEmpty();
        assertThat(m.headers("Subject")).containsExactly("[SPAM] hello");
        assertThat(journal.seen).as("the threshold ended the run before Beta").hasSize(1);
        assertThat(m.body()).isEqualTo("body\r\n");
        assertSpoolEmpty();
    }

    @Test
    void spamIsBouncedWithTheReasonAndTheId() {
        start("modules:\n  - Alpha: {score: -60}\nspam: {threshold: -50, handle: bounce}\n");
        SmtpClient.Reply r = send(mail("spam", "x\r\n"));
        assertThat(r.code()).isEqualTo(554);
        assertThat(r.text()).matches("5\\.7\\.1 Spam \\(score -60\\) " + ID);
        assertThat(hop.mails).isEmpty();
        assertSpoolEmpty();
    }

    @Test
    void spamIsDeleted() {
        start("modules:\n  - Alpha: {score: -60}\nspam: {threshold: -50, handle: delete}\n");
        SmtpClient.Reply r = send(mail("spam", "x\r\n"));
        assertThat(r.code()).isEqualTo(250);
        assertThat(r.text()).contains("dropped (spam)");
        assertThat(hop.mails).isEmpty();
        assertSpoolEmpty();
    }

    @Test
    void spamIsQuarantined() throws IOException {
        start("modules:\n  - Alpha: {score: -60}\nspam: {threshold: -50, handle: quarantine}\n");
        String sent = mail("spam", "x\r\n");
        SmtpClient.Reply r = send(sent);
        assertThat(r.code()).isEqualTo(250);
        assertThat(r.text()).matches("2\\.0\\.0 Ok: quarantined \\(spam\\) as \\w{17}");
        String id = r.text().substring(r.text().lastIndexOf(' ') + 1);
        assertThat(spoolNames("quarantine")).containsExactly(id + ".eml", id + ".env", id + ".reason");
        assertThat(Files.readString(detective.spool().quarantineDir().resolve(id + ".eml"))).isEqualTo(sent);
        assertThat(Files.readString(detective.spool().quarantineDir().resolve(id + ".reason"))).contains("Spam (score -60)");
        assertThat(hop.mails).isEmpty();
        assertSpoolIdle();
    }

    @Test
    void strictBehaviorCountsAnyNegativeTotal() {
        start("modules:\n  - Alpha: {score: -1}\nspam: {behavior: strict, handle: tag}\n");
        assertThat(send(mail("slightly bad", "x\r\n")).code()).isEqualTo(250);
        assertThat(hop.only().headers("X-Decency-Result")).containsExactly("SPAM");
    }

    @Test
    void strictBehaviorLetsZeroPass() {
        start("modules:\n  - Alpha: {score: 0}\nspam: {behavior: strict, handle: bounce}\n");
        assertThat(send(mail("neutral", "x\r\n")).code()).isEqualTo(250);
        assertThat(hop.only().headers("X-Decency-Result")).isEmpty();
    }

    @Test
    void ignoreBehaviorNeverCallsItSpam() {
        start("modules:\n  - Alpha: {score: -1000}\nspam: {behavior: ignore, handle: bounce}\n");
        assertThat(send(mail("very bad", "x\r\n")).code()).isEqualTo(250);
        assertThat(hop.only().headers("X-Decency-Result")).isEmpty();
        assertSpoolEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bounce", "delete", "quarantine", "ignore"})
    void aVirusIsHandledAsConfigured(String handle) throws IOException {
        start("modules:\n  - Alpha: {flag: virus=EICAR-Test}\nspam: {threshold: -50}\nvirus: {handle: " + handle + "}\n");
        SmtpClient.Reply r = send(mail("virus", "x\r\n"));
        switch (handle) {
            case "bounce" -> {
                assertThat(r.code()).isEqualTo(554);
                assertThat(r.text()).matches("5\\.7\\.1 Virus found: EICAR-Test " + ID);
                assertThat(hop.mails).isEmpty();
                assertSpoolEmpty();
            }
            case "delete" -> {
                assertThat(r.code()).isEqualTo(250);
                assertThat(r.text()).contains("dropped (virus)");
                assertThat(hop.mails).isEmpty();
                assertSpoolEmpty();
            }
            case "quarantine" -> {
                assertThat(r.code()).isEqualTo(250);
                String id = r.text().substring(r.text().lastIndexOf(' ') + 1);
                assertThat(spoolNames("quarantine")).containsExactly(id + ".eml", id + ".env", id + ".reason");
                assertThat(Files.readString(detective.spool().quarantineDir().resolve(id + ".reason")))
                        .isEqualTo("Virus found: EICAR-Test\n");
                assertThat(hop.mails).isEmpty();
                assertSpoolIdle();
            }
            default -> {
                assertThat(r.code()).isEqualTo(250);
                NextHop.Mail m = hop.only();
                assertThat(m.headers("X-Decency-Result")).containsExactly("VIRUS");
                assertThat(m.headers("X-Decency-Virus")).containsExactly("EICAR-Test");
                assertSpoolEmpty();
            }
        }
    }

    @Test
    void aChecksDiscardDeletesTheMail() {
        start("modules:\n  - Alpha: {final: DISCARD}\n  - Beta: {}\n");
        SmtpClient.Reply r = send(mail("discard", "x\r\n"));
        assertThat(r.code()).isEqualTo(250);
        assertThat(r.text()).contains("dropped (drop)");
        assertThat(hop.mails).isEmpty();
        assertThat(journal.seen).hasSize(1);
        assertSpoolEmpty();
    }

    @Test
    void aChecksHoldQuarantinesTheMail() throws IOException {
        start("modules:\n  - Alpha: {final: HOLD, final_text: looks odd}\n");
        SmtpClient.Reply r = send(mail("hold", "x\r\n"));
        assertThat(r.code()).isEqualTo(250);
        assertThat(r.text()).contains("quarantined (policy)");
        String id = r.text().substring(r.text().lastIndexOf(' ') + 1);
        assertThat(Files.readString(detective.spool().quarantineDir().resolve(id + ".reason"))).isEqualTo("looks odd\n");
        assertThat(hop.mails).isEmpty();
        assertSpoolIdle();
    }

    @Test
    void aChecksRejectBouncesWithItsText() {
        start("modules:\n  - Alpha: {final: REJECT, final_text: no such thing here}\n");
        SmtpClient.Reply r = send(mail("reject", "x\r\n"));
        assertThat(r.code()).isEqualTo(554);
        assertThat(r.text()).matches("5\\.7\\.1 no such thing here " + ID);
        assertThat(hop.mails).isEmpty();
        assertSpoolEmpty();
    }

    @Test
    void aCheckThatCannotDecideNowDefersTheMailAndNothingIsDelivered() {
        start("modules:\n  - Alpha: {final: DEFER, final_text: \"4.3.0 Alpha is not available, try again later\"}\n"
                + "spam: {threshold: -50, handle: bounce}\n");
        SmtpClient.Reply r = send(mail("engine down", "x\r\n"));
        assertThat(r.code()).isEqualTo(451);
        assertThat(r.text()).matches("4\\.3\\.0 Alpha is not available, try again later " + ID);
        assertThat(hop.mails).isEmpty();
        assertSpoolEmpty();
    }

    @Test
    void aChecksLiteralTemporaryReplyDefersToo() {
        start("modules:\n  - Alpha: {final: \"450\", final_text: busy}\n");
        SmtpClient.Reply r = send(mail("busy", "x\r\n"));
        assertThat(r.code()).isEqualTo(451);
        assertThat(r.text()).matches("4\\.3\\.0 busy " + ID);
        assertThat(hop.mails).isEmpty();
    }

    @Test
    void checksEditTheHeader() {
        start("modules:\n  - Alpha: {add: [\"X-Checked: yes\"], remove: [X-Remove-Me], set: [\"X-Set: new\"]}\n");
        String m = "X-Remove-Me: 1\r\nX-Set: old\r\nSubject: edits\r\nx-remove-me: 2\r\n\r\nbody\r\n";
        assertThat(send(m).code()).isEqualTo(250);
        assertThat(hop.only().text()).isEqualTo("X-Checked: yes\r\nX-Set: new\r\nSubject: edits\r\n\r\nbody\r\n");
    }

    @Test
    void aCheckThatThrowsCountsZeroAndTheMailIsDelivered() {
        start("modules:\n  - Alpha: {fail: 1}\n  - Beta: {score: -3}\nspam: {threshold: -50, noisy_headers: 1}\n");
        assertThat(send(mail("broken check", "x\r\n")).code()).isEqualTo(250);
        NextHop.Mail m = hop.only();
        assertThat(m.headers("X-Decency-Result")).containsExactly("GOOD");
        assertThat(m.headers("X-Decency-Score")).containsExactly("-3");
        assertThat(m.header("X-Decency-Details")).contains("Alpha=0 (error: IllegalStateException)").contains("Beta=-3");
        assertThat(journal.seen).hasSize(2);
        assertSpoolEmpty();
    }

    @Test
    void theDecisionIsLogged() {
        Logger decisions = (Logger) LoggerFactory.getLogger("decency.decision");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Level before = decisions.getLevel();
        decisions.setLevel(Level.INFO);
        decisions.addAppender(lines);
        try {
            start("modules:\n  - Alpha: {score: -7}\nspam: {threshold: -50}\n");
            try (SmtpClient c = client()) {
                c.cmd("XFORWARD NAME=mail.example.com ADDR=192.0.2.7 HELO=mail.example.com");
                assertThat(c.mail("sender@example.net", List.of("user@example.org"), mail("logged", "x\r\n")).code()).isEqualTo(250);
            }
        } finally {
            decisions.detachAppender(lines);
            decisions.setLevel(before);
        }
        assertThat(lines.list).hasSize(1);
        assertThat(lines.list.getFirst().getFormattedMessage())
                .startsWith("detective id=" + journal.seen.getFirst().id() + " stage=MESSAGE")
                .contains(" client=mail.example.com[192.0.2.7] helo=<mail.example.com> from=<sender@example.net> to=<user@example.org>")
                .contains(" action=deliver/good 250 2.0.0 Ok: delivered to 127.0.0.1:" + hop.port() + " as ABC123 ")
                .contains(" score=-7 threshold=-50 checks: Alpha=-7 time_ms=");
    }

    // notifications

    @Test
    void theRecipientIsToldAboutAQuarantinedSpamWithTheTemplate() {
        write("notice.txt", "Dear %recipient%,\na mail from %sender% (\"%subject%\") was held as %reason%, score %score%"
                + " (%spam_info%).\nAsk for %quarantine_id%.\n");
        start("modules:\n  - Alpha: {score: -60}\n"
                + "spam: {threshold: -50, handle: quarantine, notify_recipient: 1, recipient_template: notice.txt,"
                + " recipient_subject: \"Spam held for you\"}\n");
        SmtpClient.Reply r = send(mail("cheap pills", "x\r\n"), "sender@example.net", "a@example.org", "b@example.org");
        assertThat(r.code()).isEqualTo(250);
        String id = r.text().substring(r.text().lastIndexOf(' ') + 1);
        List<NextHop.Mail> notices = hop.await(2);
        assertThat(notices).hasSize(2);
        for (int i = 0; i < 2; i++) {
            NextHop.Mail n = notices.get(i);
            String rcpt = i == 0 ? "a@example.org" : "b@example.org";
            assertThat(n.sender()).as("the null sender").isEmpty();
            assertThat(n.recipients()).containsExactly(rcpt);
            assertThat(n.header("From")).isEqualTo("Postmaster <postmaster@example.org>");
            assertThat(n.header("To")).isEqualTo("<" + rcpt + ">");
            assertThat(n.header("Subject")).isEqualTo("Spam held for you");
            assertThat(n.header("Auto-Submitted")).isEqualTo("auto-generated");
            assertThat(n.body()).isEqualTo("Dear " + rcpt + ",\r\na mail from sender@example.net (\"cheap pills\") was held as spam,"
                    + " score -60 (Alpha=-60).\r\nAsk for " + id + ".\r\n");
        }
        assertThat(spoolNames("quarantine")).hasSize(3);
        assertSpoolIdle();
    }

    @Test
    void theRecipientIsToldAboutABouncedSpamToo() {
        start("modules:\n  - Alpha: {score: -60}\nspam: {threshold: -50, handle: bounce, notify_recipient: 1}\n");
        SmtpClient.Reply r = send(mail("cheap pills", "x\r\n"));
        assertThat(r.code()).isEqualTo(554);
        NextHop.Mail n = hop.only();
        assertThat(n.sender()).isEmpty();
        assertThat(n.recipients()).containsExactly("user@example.org");
        assertThat(n.body()).contains("Subject of the mail: cheap pills").contains("categorized as spam");
        assertSpoolEmpty();
    }

    @Test
    void aVirusSenderAndRecipientAreTold() {
        write("to-sender.txt", "Your mail to %recipient% carried %virus%.\n");
        start("modules:\n  - Alpha: {flag: virus=EICAR-Test}\n"
                + "virus: {handle: delete, notify_sender: 1, sender_template: to-sender.txt, notify_recipient: 1}\n");
        assertThat(send(mail("virus", "x\r\n"), "sender@example.net", "a@example.org", "b@example.org").code()).isEqualTo(250);
        List<NextHop.Mail> notices = hop.await(3);
        assertThat(notices).extracting(NextHop.Mail::recipients)
                .containsExactly(List.of("a@example.org"), List.of("b@example.org"), List.of("sender@example.net"));
        assertThat(notices).allMatch(n -> n.sender().isEmpty());
        assertThat(notices.get(0).body()).contains("(EICAR-Test)");
        assertThat(notices.get(2).body()).isEqualTo("Your mail to a@example.org, b@example.org carried EICAR-Test.\r\n");
        assertSpoolEmpty();
    }

    @Test
    void aNoticeThatCannotBeSentChangesNothing() {
        start("reinject: {host: 127.0.0.1, port: ${CLOSED}}\nmodules:\n  - Alpha: {score: -60}\n"
                + "spam: {threshold: -50, handle: quarantine, notify_recipient: 1}\n");
        SmtpClient.Reply r = send(mail("spam", "x\r\n"));
        assertThat(r.code()).isEqualTo(250);
        assertThat(r.text()).contains("quarantined (spam)");
        assertThat(spoolNames("quarantine")).hasSize(3);
        assertThat(hop.mails).isEmpty();
        assertSpoolIdle();
    }

    @Test
    void noNoticeToTheNullSender() {
        start("modules:\n  - Alpha: {flag: virus=EICAR-Test}\nvirus: {handle: delete, notify_sender: 1}\n");
        assertThat(send(mail("virus bounce", "x\r\n"), "", "a@example.org").code()).isEqualTo(250);
        assertThat(hop.mails).isEmpty();
        assertSpoolEmpty();
    }
}
