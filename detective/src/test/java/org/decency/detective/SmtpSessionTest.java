package org.decency.detective;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.decency.core.Connection;
import org.junit.jupiter.api.Test;
import org.decency.testkit.SmtpClient;

/** The Detective's SMTP/LMTP front door, played by a raw client; the next hop records what got through. */
class SmtpSessionTest extends DetectiveTestBase {

    @Test
    void greetsAndListsItsExtensions() {
        start("");
        try (SmtpClient c = SmtpClient.connect(detective.port())) {
            SmtpClient.Reply greeting = c.read();
            assertThat(greeting.code()).isEqualTo(220);
            assertThat(greeting.text()).startsWith("decency ESMTP");
            SmtpClient.Reply ehlo = c.cmd("EHLO client.example.net");
            assertThat(ehlo.code()).isEqualTo(250);
            assertThat(ehlo.texts()).contains("PIPELINING", "SIZE 1048576", "8BITMIME", "ENHANCEDSTATUSCODES", "DSN",
                    "SMTPUTF8", "XFORWARD NAME ADDR PORT PROTO HELO IDENT SOURCE");
            assertThat(c.cmd("NOOP").code()).isEqualTo(250);
            assertThat(c.cmd("RSET").code()).isEqualTo(250);
            assertThat(c.cmd("QUIT").code()).isEqualTo(221);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void heloIsEnoughForAMail() {
        start("");
        try (SmtpClient c = SmtpClient.connect(detective.port())) {
            c.read();
            SmtpClient.Reply helo = c.cmd("HELO client.example.net");
            assertThat(helo.lines()).containsExactly("250 decency");
            assertThat(c.mail("sender@example.net", List.of("user@example.org"), mail("helo", "hi\r\n")).code()).isEqualTo(250);
        }
        assertThat(hop.only().envelope().helo()).isEqualTo("decency");
        assertSpoolEmpty();
    }

    @Test
    void mailBeforeHelloIsRefused() {
        start("");
        try (SmtpClient c = SmtpClient.connect(detective.port())) {
            c.read();
            assertThat(c.cmd("MAIL FROM:<a@example.net>").code()).isEqualTo(503);
            assertThat(c.cmd("EHLO").code()).isEqualTo(501);
        }
    }

    @Test
    void lmtpSaysLhloAndAnswersPerRecipient() {
        start("server: {port: 0, protocol: lmtp}\n");
        try (SmtpClient c = SmtpClient.connect(detective.port())) {
            assertThat(c.read().text()).contains("LMTP");
            assertThat(c.cmd("EHLO client.example.net").code()).isEqualTo(500);
            assertThat(c.cmd("HELO client.example.net").code()).isEqualTo(500);
            SmtpClient.Reply lhlo = c.cmd("LHLO client.example.net");
            assertThat(lhlo.code()).isEqualTo(250);
            assertThat(lhlo.texts()).contains("PIPELINING", "ENHANCEDSTATUSCODES");
            assertThat(c.cmd("MAIL FROM:<sender@example.net>").code()).isEqualTo(250);
            assertThat(c.cmd("RCPT TO:<a@example.org>").code()).isEqualTo(250);
            assertThat(c.cmd("RCPT TO:<b@example.org>").code()).isEqualTo(250);
            assertThat(c.cmd("DATA").code()).isEqualTo(354);
            c.send(mail("lmtp", "hello\r\n") + ".\r\n");
            List<SmtpClient.Reply> replies = c.read(2);
            assertThat(replies).extracting(SmtpClient.Reply::code).containsExactly(250, 250);
            assertThat(c.cmd("NOOP").code()).as("nothing more was answered than asked").isEqualTo(250);
        }
        assertThat(hop.only().recipients()).containsExactly("a@example.org", "b@example.org");
        assertSpoolEmpty();
    }

    @Test
    void lmtpAnswersEachRecipientAlsoWhenTheNextHopRefusesOne() {
        Gate gate = new Gate(hop.port(), null, null, null, Set.of("gone@example.org"));
        closing.add(gate);
        start("server: {port: 0, protocol: lmtp}\nreinject: {host: 127.0.0.1, port: " + gate.port() + "}\n");
        try (SmtpClient c = SmtpClient.hello(detective.port(), "LHLO")) {
            c.send("MAIL FROM:<sender@example.net>\r\nRCPT TO:<a@example.org>\r\nRCPT TO:<gone@example.org>\r\n"
                    + "RCPT TO:<b@example.org>\r\nDATA\r\n");
            assertThat(c.read(5)).extracting(SmtpClient.Reply::code).containsExactly(250, 250, 250, 250, 354);
            c.send(mail("partly", "hello\r\n") + ".\r\n");
            List<SmtpClient.Reply> replies = c.read(3);
            assertThat(replies).extracting(SmtpClient.Reply::code).containsExactly(250, 550, 250);
            assertThat(replies.get(1).text()).contains("5.1.1").contains("no such user");
        }
        assertThat(hop.only().recipients()).containsExactly("a@example.org", "b@example.org");
        // every recipient got its own answer: nothing is left for an administrator
        assertSpoolEmpty();
    }

    @Test
    void smtpWithOneRecipientRefusedByTheNextHopAnswersOkAndKeepsTheMailForTheAdministrator() {
        Gate gate = new Gate(hop.port(), null, null, null, Set.of("gone@example.org"));
        closing.add(gate);
        start("reinject: {host: 127.0.0.1, port: " + gate.port() + "}\n");
        SmtpClient.Reply r = send(mail("partly", "hello\r\n"), "sender@example.net", "gone@example.org", "a@example.org");
        // one answer for both: the mail reached a@, so it is ours; gone@'s copy waits in failed/
        assertThat(r.code()).isEqualTo(250);
        assertThat(hop.only().recipients()).containsExactly("a@example.org");
        assertThat(spoolNames("failed")).hasSize(3).anyMatch(n -> n.endsWith(".reason"));
    }

    @Test
    void xforwardReachesTheChecksAndTheNextHop() {
        start("");
        try (SmtpClient c = client()) {
            assertThat(c.cmd("XFORWARD NAME=mail.example.com ADDR=192.0.2.7 PORT=2525").code()).isEqualTo(250);
            assertThat(c.cmd("XFORWARD PROTO=ESMTP HELO=helo+20with+2Bplus SOURCE=REMOTE").code()).isEqualTo(250);
            assertThat(c.cmd("XFORWARD BOGUS=1").code()).isEqualTo(501);
            assertThat(c.cmd("XFORWARD AME=1").code()).isEqualTo(501);
            assertThat(c.mail("sender@example.net", List.of("user@example.org"), mail("xf", "x\r\n")).code()).isEqualTo(250);
        }
        assertThat(journal.seen).hasSize(1);
        Connection conn = journal.seen.getFirst().connection();
        assertThat(conn.clientAddress()).isEqualTo("192.0.2.7");
        assertThat(conn.clientName()).isEqualTo("mail.example.com");
        assertThat(conn.helo()).isEqualTo("helo with+plus");
        assertThat(hop.only().envelope().xforward()).containsEntry("ADDR", "192.0.2.7").containsEntry("NAME", "mail.example.com")
                .containsEntry("HELO", "helo with+plus").containsEntry("PORT", "2525").containsEntry("PROTO", "ESMTP");
        assertSpoolEmpty();
    }

    @Test
    void xforwardUnavailableValuesAreNotTakenForAnAddress() {
        start("");
        try (SmtpClient c = client()) {
            assertThat(c.cmd("XFORWARD NAME=[UNAVAILABLE] ADDR=[UNAVAILABLE]").code()).isEqualTo(250);
            assertThat(c.mail("sender@example.net", List.of("user@example.org"), mail("xf", "x\r\n")).code()).isEqualTo(250);
        }
        assertThat(journal.seen.getFirst().connection().clientAddress()).isEmpty();
        assertThat(hop.only().recipients()).containsExactly("user@example.org");
    }

    @Test
    void commandsOutOfOrderAre503() {
        start("");
        try (SmtpClient c = client()) {
            assertThat(c.cmd("RCPT TO:<user@example.org>").code()).isEqualTo(503);
            assertThat(c.cmd("DATA").code()).isEqualTo(503);
            assertThat(c.cmd("MAIL FROM:<sender@example.net>").code()).isEqualTo(250);
            assertThat(c.cmd("DATA").code()).as("DATA before any RCPT").isEqualTo(503);
            assertThat(c.cmd("MAIL FROM:<other@example.net>").code()).as("nested MAIL").isEqualTo(503);
            assertThat(c.cmd("XFORWARD ADDR=192.0.2.1").code()).as("XFORWARD after MAIL").isEqualTo(503);
            assertThat(c.cmd("RSET").code()).isEqualTo(250);
            assertThat(c.cmd("RCPT TO:<user@example.org>").code()).as("RSET forgot the sender").isEqualTo(503);
            assertThat(c.mail("sender@example.net", List.of("user@example.org"), mail("after", "x\r\n")).code()).isEqualTo(250);
        }
        assertThat(hop.only().sender()).isEqualTo("sender@example.net");
    }

    @Test
    void unknownCommandIs502AndOverlongLineIs500AndTheSessionGoesOn() {
        start("");
        try (SmtpClient c = client()) {
            assertThat(c.cmd("FROB now").code()).isEqualTo(502);
            assertThat(c.cmd("").code()).isEqualTo(502);
            assertThat(c.cmd("NOOP " + "x".repeat(70_000)).code()).isEqualTo(500);
            assertThat(c.cmd("NOOP").code()).isEqualTo(250);
            assertThat(c.mail("sender@example.net", List.of("user@example.org"), mail("after", "x\r\n")).code()).isEqualTo(250);
        }
        assertThat(hop.await(1)).hasSize(1);
    }

    @Test
    void tooManyRecipientsAre452AndTheOthersGetTheMail() {
        start("");
        try (SmtpClient c = client()) {
            assertThat(c.cmd("MAIL FROM:<sender@example.net>").code()).isEqualTo(250);
            for (int i = 1; i <= 5; i++) assertThat(c.cmd("RCPT TO:<u" + i + "@example.org>").code()).isEqualTo(250);
            SmtpClient.Reply sixth = c.cmd("RCPT TO:<u6@example.org>");
            assertThat(sixth.code()).isEqualTo(452);
            assertThat(sixth.text()).startsWith("4.5.3");
            assertThat(c.data(mail("many", "x\r\n")).code()).isEqualTo(250);
        }
        assertThat(hop.only().recipients()).hasSize(5).doesNotContain("u6@example.org");
        assertSpoolEmpty();
    }

    @Test
    void sizeOverTheLimitIsRefusedAtMail() {
        start("");
        try (SmtpClient c = client()) {
            SmtpClient.Reply r = c.cmd("MAIL FROM:<sender@example.net> SIZE=1048577");
            assertThat(r.code()).isEqualTo(552);
            assertThat(c.cmd("MAIL FROM:<sender@example.net> SIZE=many").code()).isEqualTo(501);
            assertThat(c.cmd("MAIL FROM:<sender@example.net> SIZE=1048576").code()).isEqualTo(250);
        }
        assertThat(hop.mails).isEmpty();
    }

    @Test
    void aMailOverTheLimitIsRefusedAfterDataAndNothingIsKept() {
        start("");
        try (SmtpClient c = client()) {
            String line = "y".repeat(998) + "\r\n";
            StringBuilder body = new StringBuilder();
            while (body.length() < 1_100_000) body.append(line);
            SmtpClient.Reply r = c.mail("sender@example.net", List.of("user@example.org"), mail("big", body.toString()));
            assertThat(r.code()).isEqualTo(552);
            assertSpoolEmpty();
            // the session goes on
            assertThat(c.mail("sender@example.net", List.of("user@example.org"), mail("small", "x\r\n")).code()).isEqualTo(250);
        }
        assertThat(hop.only().header("Subject")).isEqualTo("small");
        assertThat(journal.seen).hasSize(1);
    }

    @Test
    void aLineAsLongAsAllowedPassesAndOneByteMoreIsRefused() {
        start("server: {port: 0, max_line_length: 1000}\n");
        String exactly = "a".repeat(1000);
        try (SmtpClient c = client()) {
            assertThat(c.mail("sender@example.net", List.of("user@example.org"), mail("exact", exactly + "\r\n")).code())
                    .isEqualTo(250);
            SmtpClient.Reply r = c.mail("sender@example.net", List.of("user@example.org"), mail("long", exactly + "b\r\nend\r\n"));
            assertThat(r.code()).isEqualTo(552);
            assertThat(r.text()).contains("too long");
            assertThat(c.cmd("NOOP").code()).isEqualTo(250);
        }
        assertThat(hop.only().body()).isEqualTo(exactly + "\r\n");
        assertSpoolEmpty();
    }

    @Test
    void anOverlongDataLineIsRefusedAndTheSessionGoesOn() {
        start("");
        try (SmtpClient c = client()) {
            SmtpClient.Reply r = c.mail("sender@example.net", List.of("user@example.org"), mail("long", "z".repeat(200_000) + "\r\n"));
            assertThat(r.code()).isEqualTo(552);
            assertThat(c.mail("sender@example.net", List.of("user@example.org"), mail("next", "x\r\n")).code()).isEqualTo(250);
        }
        assertThat(hop.only().header("Subject")).isEqualTo("next");
        assertSpoolEmpty();
    }

    @Test
    void dotsSurviveBothWays() {
        start("");
        String body = ".starts with a dot\r\n..two dots\r\n.\r\nafter a lone dot\r\n. \r\nend\r\n";
        assertThat(send(mail("dots", body)).code()).isEqualTo(250);
        // the lone dot arrives as a line of the body: the Detective stuffed it again when passing the mail on
        assertThat(hop.only().body()).isEqualTo(body);
        assertSpoolEmpty();
    }

    @Test
    void bareLineFeedsBecomeCrlf() {
        start("");
        try (SmtpClient c = client()) {
            c.cmd("MAIL FROM:<sender@example.net>");
            c.cmd("RCPT TO:<user@example.org>");
            assertThat(c.cmd("DATA").code()).isEqualTo(354);
            c.send("From: a@example.net\nSubject: bare\n\nline one\nline two\r\n..dot\n.\n");
            assertThat(c.read().code()).isEqualTo(250);
        }
        assertThat(hop.only().text()).isEqualTo("From: a@example.net\r\nSubject: bare\r\n\r\nline one\r\nline two\r\n.dot\r\n");
        assertSpoolEmpty();
    }

    @Test
    void eightBitAndSmtputf8MailArriveIntact() {
        start("");
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes("From: Jörg <jörg@exämple.de>\r\nSubject: Grüße\r\n\r\nUTF-8: äöü €\r\nLatin-1: ".getBytes(StandardCharsets.UTF_8));
        m.writeBytes(new byte[] {(byte) 0xe9, (byte) 0xff, (byte) 0x80, '\r', '\n'});
        try (SmtpClient c = client()) {
            assertThat(c.cmd("MAIL FROM:<jörg@exämple.de> SMTPUTF8 BODY=8BITMIME").code()).isEqualTo(250);
            assertThat(c.cmd("RCPT TO:<müller@example.org>").code()).isEqualTo(250);
            assertThat(c.cmd("DATA").code()).isEqualTo(354);
            c.sendBytes(m.toByteArray());
            c.send(".\r\n");
            assertThat(c.read().code()).isEqualTo(250);
        }
        NextHop.Mail got = hop.only();
        assertThat(got.sender()).isEqualTo("jörg@exämple.de");
        assertThat(got.recipients()).containsExactly("müller@example.org");
        assertThat(got.envelope().senderParams()).contains("SMTPUTF8").contains("BODY=8BITMIME");
        assertThat(got.bytes()).isEqualTo(m.toByteArray());
        assertSpoolEmpty();
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() {
        start("");
        try (SmtpClient c = client()) {
            c.send("MAIL FROM:<sender@example.net>\r\nRCPT TO:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
            List<SmtpClient.Reply> r = c.read(4);
            assertThat(r).extracting(SmtpClient.Reply::code).containsExactly(250, 250, 250, 354);
            // the data, the end and the next transaction in one write as well
            c.send(mail("piped", "x\r\n") + ".\r\nRSET\r\nMAIL FROM:<s2@example.net>\r\nRCPT TO:<c@example.org>\r\nDATA\r\n");
            assertThat(c.read(5)).extracting(SmtpClient.Reply::code).containsExactly(250, 250, 250, 250, 354);
            c.send(mail("piped 2", "y\r\n") + ".\r\nQUIT\r\n");
            assertThat(c.read(2)).extracting(SmtpClient.Reply::code).containsExactly(250, 221);
        }
        List<NextHop.Mail> got = hop.await(2);
        assertThat(got.get(0).recipients()).containsExactly("a@example.org", "b@example.org");
        assertThat(got.get(1).recipients()).containsExactly("c@example.org");
        assertThat(got.get(1).sender()).isEqualTo("s2@example.net");
        assertSpoolEmpty();
    }

    @Test
    void aClientVanishingInTheMiddleOfDataLeavesNothingBehind() {
        start("");
        SmtpClient c = client();
        c.cmd("MAIL FROM:<sender@example.net>");
        c.cmd("RCPT TO:<user@example.org>");
        assertThat(c.cmd("DATA").code()).isEqualTo(354);
        c.send(mail("half", "first part\r\n".repeat(2000)));
        Wait.until(() -> !spoolFiles("incoming").isEmpty(), "the mail to be coming in");
        c.abort();
        assertSpoolEmpty();
        assertThat(hop.mails).isEmpty();
        assertThat(journal.seen).isEmpty();
        // still serving
        assertThat(send(mail("whole", "x\r\n")).code()).isEqualTo(250);
        assertThat(hop.only().header("Subject")).isEqualTo("whole");
    }

    @Test
    void aSilentClientIsDisconnected() {
        start("server: {port: 0, timeout: 300ms}\n");
        try (SmtpClient c = client()) {
            c.cmd("MAIL FROM:<sender@example.net>");
            SmtpClient.Reply r = c.read();
            assertThat(r.code()).isEqualTo(421);
            assertThat(r.text()).startsWith("4.4.2");
            assertThat(c.closedByServer()).isTrue();
        }
        assertSpoolEmpty();
    }

    @Test
    void aSilentClientInTheMiddleOfDataIsDisconnectedAndNothingKept() {
        start("server: {port: 0, timeout: 300ms}\n");
        try (SmtpClient c = client()) {
            c.cmd("MAIL FROM:<sender@example.net>");
            c.cmd("RCPT TO:<user@example.org>");
            assertThat(c.cmd("DATA").code()).isEqualTo(354);
            c.send(mail("stuck", "part\r\n"));
            assertThat(c.read().code()).isEqualTo(421);
        }
        assertSpoolEmpty();
        assertThat(hop.mails).isEmpty();
    }

    @Test
    void moreSessionsThanInstancesAreTold421() {
        start("server: {port: 0, instances: 2}\n");
        SmtpClient a = client();
        SmtpClient b = client();
        try (SmtpClient third = SmtpClient.connect(detective.port())) {
            SmtpClient.Reply r = third.read();
            assertThat(r.code()).isEqualTo(421);
            assertThat(third.closedByServer()).isTrue();
        }
        a.cmd("QUIT");
        a.close();
        // the slot is free again once the first session ended
        Wait.until(() -> {
            try (SmtpClient again = SmtpClient.connect(detective.port())) {
                return again.read().code() == 220;
            }
        }, "a free session slot");
        assertThat(b.mail("sender@example.net", List.of("user@example.org"), mail("b", "x\r\n")).code()).isEqualTo(250);
        assertThat(hop.only().header("Subject")).isEqualTo("b");
    }

    @Test
    void aSessionAnswersOnlyAfterTheNextHopAnswered() {
        // a next hop that is slow to answer: the client hears nothing before it did
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        hop.answer = e -> {
            try {
                release.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return NextHop.QUEUED;
        };
        start("");
        try (SmtpClient c = client()) {
            c.cmd("MAIL FROM:<sender@example.net>");
            c.cmd("RCPT TO:<user@example.org>");
            c.cmd("DATA");
            c.send(mail("slow", "x\r\n") + ".\r\n");
            c.timeout(300);
            org.assertj.core.api.Assertions.assertThatThrownBy(c::read).hasRootCauseInstanceOf(java.net.SocketTimeoutException.class);
            assertThat(spoolFiles("processing")).as("the mail waits in processing/ meanwhile").hasSize(1);
            release.countDown();
            c.timeout(10_000);
            assertThat(c.read().code()).isEqualTo(250);
        }
        assertThat(hop.only().header("Subject")).isEqualTo("slow");
        assertSpoolEmpty();
    }
}
