package org.decency.defender;

import static org.assertj.core.api.Assertions.assertThat;

import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.junit.jupiter.api.Test;

/**
 * The running Defender driven by the independent milter client {@code miltertest}
 * (OpenDKIM's, Debian package miltertest) through the scripts in
 * {@code src/test/resources/miltertest/}: real sockets, the real CBL and MimeAttribs
 * checks, the protocol as libmilter's MTA side speaks it.
 */
class MiltertestTest extends DefenderTestBase {

    /**
     * CBL lists 192.0.2.66; MimeAttribs makes a program attachment spam (-60 at a threshold of -50);
     * {@code extraDetective} are module lines asked before MimeAttribs.
     */
    static String config(String spamHandle, String virusHandle, String extraDetective) {
        return """
                detective_spam_reply: "SPAM detected"
                detective_virus_reply: "Virus detected"
                doorman:
                  modules:
                    - CBL: {ips: {"*": [192.0.2.66]}, reject_message: "Blacklisted"}
                detective:
                  spool_dir: spool
                  no_session_identifier: 1
                  spam: {behavior: scoring, threshold: -50, handle: %s, subject_prefix: "[SPAM]", noisy_headers: 1}
                  virus: {handle: %s}
                  modules:
                %s    - MimeAttribs: {}
                """.formatted(spamHandle, virusHandle, extraDetective);
    }

    static String config() {
        return config("bounce", "bounce", "");
    }

    @Test
    void aCblListedClientIsRefusedAtRcptAndTheNextClientServed() {
        start(config());
        passes("cbl_rcpt.lua");
        assertThat(journal.seen).isEmpty();
        assertSpoolEmpty();
    }

    @Test
    void overAUnixDomainSocketTheScriptsPassAsOverTcp() throws Exception {
        java.nio.file.Path sock = dir.resolve("run/defender.sock");
        start("server: {socket: run/defender.sock, instances: 4}\n" + config("bounce", "bounce", "    - Alpha: {score: 5}\n"));
        assertThat(java.nio.file.Files.getPosixFilePermissions(sock)).as("anyone may connect by default")
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        passes("ham_headers.lua");
        passes("several_messages.lua");
        passes("cbl_rcpt.lua");
        passes("spam_eob.lua", "reply=SPAM detected");
        assertSpoolEmpty();
        defender.close();
        assertThat(sock).as("the socket file goes with the server").doesNotExist();
    }

    @Test
    void spamIsRefusedAtTheEndOfTheDataWithTheSpamReply() {
        start(config());
        passes("spam_eob.lua", "reply=SPAM detected");
        assertSpoolEmpty();
    }

    @Test
    void hamIsAcceptedWithTheXDecencyHeaders() {
        start(config("bounce", "bounce", "    - Alpha: {score: 5}\n"));
        passes("ham_headers.lua");
        Transaction tx = journal.seen.getFirst();
        assertThat(tx.stage()).isEqualTo(Stage.MESSAGE);
        assertThat(tx.clientAddress()).isEqualTo("198.51.100.7");
        assertThat(tx.connection().helo()).isEqualTo("mail.example.net");
        assertThat(tx.sender().raw()).isEqualTo("alice@example.net");
        assertThat(tx.envelope().recipients()).singleElement().satisfies(r -> assertThat(r.raw()).isEqualTo("bob@example.org"));
        assertThat(tx.envelope().queueId()).isEqualTo("4QHAM1");
        // the mail as the checks read it: the header as sent, the empty line, the body
        assertThat(journal.mails.getFirst()).startsWith("From: Alice <alice@example.net>\r\nTo: <bob@example.org>\r\nSubject: hello Bob\r\n")
                .contains("X-Decency-Result: GOOD (forged by the sender)\r\n\r\nHi Bob,\r\nsee you.\r\n");
        assertSpoolEmpty();
    }

    @Test
    void severalMessagesOnOneConnectionAreDecidedEachOnItsOwn() {
        start(config("bounce", "bounce", "    - Alpha: {}\n"));
        passes("several_messages.lua");
        assertThat(journal.seen).extracting(t -> t.envelope().queueId()).containsExactly("4QMULTI1", "4QMULTI2", "4QMULTI3");
        assertThat(journal.seen).extracting(t -> t.recipient().raw())
                .containsExactly("bob@example.org", "carol@example.org", "dave@example.org");
        assertThat(journal.seen.stream().map(Transaction::id).distinct()).as("one transaction id per mail").hasSize(3);
        assertSpoolEmpty();
    }

    @Test
    void anAbortedMailLeavesNothingAndTheNextMailIsDecidedOnItsOwn() {
        start(config("bounce", "bounce", "    - Alpha: {}\n"));
        passes("abort.lua");
        assertThat(journal.seen).singleElement().satisfies(t -> assertThat(t.envelope().queueId()).isEqualTo("4QABORT2"));
        assertThat(journal.mails.getFirst()).doesNotContain("invoice");
        assertSpoolEmpty();
    }

    @Test
    void anMtaVanishingMidBodyLeavesNothingAndTheNextConnectionIsServed() {
        start(config("bounce", "bounce", "    - Alpha: {}\n"));
        passes("vanish.lua");
        assertThat(journal.seen).singleElement().satisfies(t -> assertThat(t.envelope().queueId()).isEqualTo("4QGONE2"));
        assertSpoolEmpty();
    }

    @Test
    void spamTaggedGetsItsSubjectPrefixAndResultFields() {
        start(config("tag", "bounce", ""));
        passes("message.lua", "ip=198.51.100.20", "kind=spam", "answer=accept",
                "added=X-Decency-Result,X-Decency-Score,X-Decency-SpamInfo,X-Decency-Details",
                "changed=Subject= [SPAM] your invoice");
    }

    @Test
    void spamQuarantinedIsHeldByTheMta() {
        start(config("quarantine", "bounce", ""));
        passes("message.lua", "ip=198.51.100.20", "kind=spam", "answer=accept", "quarantine=Spam (score -60)",
                "added=X-Decency-Result");
    }

    @Test
    void spamDeletedIsDiscarded() {
        start(config("delete", "bounce", ""));
        passes("message.lua", "ip=198.51.100.20", "kind=spam", "answer=discard");
    }

    @Test
    void aVirusIsRefusedWithTheVirusReply() {
        start(config("tag", "bounce", "    - Alpha: {flag: virus=Eicar-Test-Signature}\n"));
        passes("message.lua", "ip=198.51.100.7", "kind=ham", "answer=replycode", "smtp=554|5.7.1|Virus detected");
    }

    @Test
    void aVirusLetThroughCarriesItsName() {
        start(config("tag", "ignore", "    - Alpha: {flag: virus=Eicar-Test-Signature}\n"));
        passes("message.lua", "ip=198.51.100.7", "kind=ham", "answer=accept", "added=X-Decency-Result,X-Decency-Virus");
    }

    @Test
    void aChecksOwnRefusalIsSentWithItsText() {
        start(config("tag", "bounce", "    - Alpha: {final: REJECT, final_text: \"No thanks\"}\n"));
        passes("message.lua", "ip=198.51.100.7", "kind=ham", "answer=replycode", "smtp=554|5.7.1|No thanks");
    }

    @Test
    void aCheckThatCannotDecideNowMakesTheClientTryAgain() {
        start(config("tag", "bounce", "    - Alpha: {final: \"451\", final_text: \"4.7.1 engine down\"}\n"));
        passes("message.lua", "ip=198.51.100.7", "kind=ham", "answer=replycode", "smtp=451|4.7.1|engine down");
    }

    @Test
    void theHarnessSeesAScriptFail() {
        // a script that expects the wrong answer must fail, with the reason printed: else a passing test proves nothing
        start(config());
        Run r = miltertest("message.lua", "ip=198.51.100.20", "kind=spam", "answer=accept");
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("FAIL: end of the data: the reply was replycode, expected accept");
    }
}
