package org.decency.defender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.decency.config.ConfigException;
import org.decency.core.Transaction;
import org.decency.defender.milter.Milter;
import org.junit.jupiter.api.Test;

/**
 * The running Defender through a socket, with an MTA client that speaks as Postfix does,
 * where the exact bytes matter: reply texts, the order of header edits, what is negotiated,
 * and what a hostile or vanishing peer leaves behind.
 */
class DefenderTest extends DefenderTestBase {

    static final String DETECTIVE = """
            detective:
              spool_dir: spool
              no_session_identifier: 1
              spam: {behavior: scoring, threshold: -50, handle: bounce, noisy_headers: 1}
              virus: {handle: bounce}
            """;

    /** Negotiates, connects as 198.51.100.7 and says HELO; what Postfix does first. */
    MtaClient client(String ip) {
        return client(ip, MtaClient.POSTFIX_STEPS);
    }

    /** @param steps what the MTA offers: without {@code SMFIP_NR_BODY}, as an MTA that waits for a reply to every body chunk */
    MtaClient client(String ip, int steps) {
        MtaClient c = mta().negotiate(6, MtaClient.POSTFIX_ACTIONS, steps);
        c.connect("mail.example.net", ip, "j", "mx.example.org", "{daemon_name}", "mx");
        c.helo("mail.example.net", "{tls_version}", "TLSv1.3", "{cipher}", "TLS_AES_256_GCM_SHA384");
        return c;
    }

    MtaClient client() {
        return client("198.51.100.7");
    }

    /** An MTA that waits for a reply to each body chunk (the test looks at the spool in between). */
    MtaClient waitingClient() {
        return client("198.51.100.7", MtaClient.POSTFIX_STEPS & ~Milter.SMFIP_NR_BODY);
    }

    static void ham(MtaClient c) {
        c.header("From", "Alice <alice@example.net>");
        c.header("Subject", "hello");
        c.eoh();
        MtaClient.Reply r = c.body("Hi\r\n");
        if (c.agreed(Milter.SMFIP_NR_BODY)) assertThat(r).as("the body is agreed without reply").isNull();
        else assertThat(r.code()).isEqualTo('c');
    }

    @Test
    void theNegotiationAsksForNoReplyAtEveryStepTheDoormanIsNotAskedAtAndForNoDataOrUnknownCommands() {
        start("doorman:\n  modules:\n    - CBL: {}\n" + DETECTIVE + "  modules:\n    - Alpha: {}\n");
        try (MtaClient c = mta().negotiate()) {
            assertThat(c.version).isEqualTo(6);
            assertThat(c.actions).isEqualTo(Milter.SMFIF_ADDHDRS | Milter.SMFIF_CHGHDRS | Milter.SMFIF_ADDRCPT | Milter.SMFIF_DELRCPT
                    | Milter.SMFIF_CHGBODY | Milter.SMFIF_QUARANTINE | Milter.SMFIF_SETSYMLIST);
            assertThat(c.protocol).isEqualTo(Milter.SMFIP_NR_CONN | Milter.SMFIP_NR_HELO | Milter.SMFIP_NR_MAIL | Milter.SMFIP_NR_DATA
                    | Milter.SMFIP_NR_HDR | Milter.SMFIP_NR_EOH | Milter.SMFIP_NR_BODY | Milter.SMFIP_NR_UNKN | Milter.SMFIP_SKIP
                    | Milter.SMFIP_HDR_LEADSPC | Milter.SMFIP_NODATA | Milter.SMFIP_NOUNKNOWN);
            assertThat(c.macroLists).as("the macros the Defender reads, no others").containsExactly(
                    java.util.Map.entry(Milter.SMFIM_CONNECT, "{client_addr} {client_ptr}"),
                    java.util.Map.entry(Milter.SMFIM_HELO, "{tls_version} {cipher} {cert_subject} {cert_issuer}"),
                    java.util.Map.entry(Milter.SMFIM_ENVFROM, "i {auth_type} {auth_authen} {auth_author}"),
                    java.util.Map.entry(Milter.SMFIM_ENVRCPT, "i"), java.util.Map.entry(Milter.SMFIM_DATA, "i"),
                    java.util.Map.entry(Milter.SMFIM_EOM, "i"), java.util.Map.entry(Milter.SMFIM_EOH, "i"));
        }
        try (MtaClient c = mta().negotiate(6, MtaClient.POSTFIX_ACTIONS & ~Milter.SMFIF_SETSYMLIST, MtaClient.POSTFIX_STEPS)) {
            assertThat(c.actions & Milter.SMFIF_SETSYMLIST).as("an MTA that does not take macro lists").isZero();
            assertThat(c.macroLists).isEmpty();
        }
        try (MtaClient c = mta().negotiate(2, 0x3f, 0x7f)) {
            assertThat(c.version).isEqualTo(2);
            assertThat(c.macroLists).as("protocol 2 has no macro lists").isEmpty();
        }
    }

    @Test
    void aDoormanRefusalAtRcptCarriesItsTextAndTheSessionId() {
        start("doorman:\n  modules:\n    - CBL: {ips: {\"*\": [192.0.2.66]}, reject_message: \"Blacklisted\"}\n"
                + DETECTIVE + "  modules:\n    - Alpha: {}\n");
        try (LogCapture decisions = new LogCapture("decency.decision"); MtaClient c = client("192.0.2.66")) {
            c.mail("<mallory@example.com>");
            MtaClient.Reply r = c.rcpt("<bob@example.org>");
            assertThat(r.code()).isEqualTo('y');
            assertThat(r.text()).matches("554 5\\.7\\.1 Blacklisted \\[\\d{4}[a-z0-9]{13}]");
            assertThat(decisions.lines()).singleElement().asString()
                    .startsWith("defender id=").contains(" stage=RCPT ", "client=mail.example.net[192.0.2.66]", "to=<bob@example.org>",
                            "action=554 5.7.1 Blacklisted [", "decided_by=CBL", "checks: CBL=0");
        }
    }

    @Test
    void greylistingDefersTheRecipientWith451() {
        start("doorman:\n  modules:\n    - Greylist: {}\n" + DETECTIVE + "  modules:\n    - Alpha: {}\n");
        try (MtaClient c = client()) {
            c.mail("<alice@example.net>");
            MtaClient.Reply r = c.rcpt("<bob@example.org>");
            assertThat(r.text()).startsWith("451 4.7.1 Greylisted, please retry in ");
        }
    }

    @Test
    void theDoormansScoreAndTheDetectivesMakeOneScore() {
        // neither -30 alone reaches -50; together they do
        start("doorman:\n  modules:\n    - Alpha: {stages: [rcpt], score: -30}\n" + DETECTIVE + "  modules:\n    - Beta: {score: -30}\n");
        try (LogCapture decisions = new LogCapture("decency.decision"); MtaClient c = client()) {
            c.mailWith(new String[] {"i", "4QONE", "{auth_authen}", "alice"}, "<alice@example.net>", "SIZE=200");
            assertThat(c.rcpt("<bob@example.org>").code()).isEqualTo('c');
            ham(c);
            List<MtaClient.Reply> end = c.eom();
            assertThat(end).extracting(MtaClient.Reply::toString).containsExactly("y:554 5.7.1 SPAM detected");
            assertThat(decisions.lines()).singleElement().asString()
                    .contains(" stage=MESSAGE ", " queue_id=4QONE ", "action=bounce/spam 554 5.7.1 SPAM detected", "score=-60",
                            "threshold=-50", "checks: Alpha=-30 Beta=-30");
        }
        Transaction rcpt = journal.seen.get(0);
        Transaction message = journal.seen.get(1);
        assertThat(rcpt.id()).as("one transaction id for the message").isEqualTo(message.id());
        assertThat(rcpt.envelope().instance()).isEqualTo(message.id());
        assertThat(message.connection().saslUsername()).isEqualTo("alice");
        assertThat(message.connection().encryptionProtocol()).isEqualTo("TLSv1.3");
        assertThat(message.connection().encryptionCipher()).isEqualTo("TLS_AES_256_GCM_SHA384");
        assertThat(rcpt.envelope().size()).isEqualTo(200);
        assertThat(message.envelope().recipientCount()).isEqualTo(1);
    }

    @Test
    void recipientsAreCheckedWithoutTheirExtensionAndKeptAsGiven() {
        start("doorman:\n  recipient_delimiter: \"+\"\n  modules:\n    - Alpha: {stages: [rcpt], score: -10}\n"
                + DETECTIVE + "  modules:\n    - Beta: {}\n");
        try (MtaClient c = client()) {
            c.mail("<alice@example.net>");
            assertThat(c.rcpt("<bob+tag@example.org>").code()).isEqualTo('c');
            assertThat(c.rcpt("<carol@example.org>").code()).isEqualTo('c');
            ham(c);
            assertThat(c.eom().getLast().code()).isEqualTo('a');
        }
        Transaction bob = journal.seen.get(0);
        assertThat(bob.recipient().raw()).as("the Doorman sees the address without its extension").isEqualTo("bob@example.org");
        Transaction message = journal.seen.getLast();
        assertThat(message.envelope().recipients()).extracting(r -> r.raw()).containsExactly("bob+tag@example.org", "carol@example.org");
    }

    @Test
    void aDoormanPrependHoldAndDiscardCarryOverToTheEndOfTheData() {
        start("doorman:\n  modules:\n    - Alpha: {stages: [rcpt], final: PREPEND, final_text: \"X-Doorman: looked at\"}\n"
                + DETECTIVE + "  modules:\n    - Beta: {}\n");
        try (MtaClient c = client()) {
            c.mail("<alice@example.net>");
            c.rcpt("<bob@example.org>");
            ham(c);
            List<MtaClient.Reply> end = c.eom();
            assertThat(end.getFirst().toString()).isEqualTo("i:0:X-Doorman= looked at");
            assertThat(end.getLast().code()).isEqualTo('a');
        }
        defender.close();
        start("doorman:\n  modules:\n    - Alpha: {stages: [rcpt], final: HOLD, final_text: \"look at this\"}\n"
                + DETECTIVE + "  modules:\n    - Beta: {}\n");
        try (MtaClient c = client()) {
            c.mail("<alice@example.net>");
            c.rcpt("<bob@example.org>");
            ham(c);
            assertThat(c.eom()).extracting(MtaClient.Reply::toString).endsWith("q:look at this", "a");
        }
        defender.close();
        start("doorman:\n  modules:\n    - Alpha: {stages: [rcpt], final: DISCARD}\n" + DETECTIVE + "  modules:\n    - Beta: {}\n");
        try (MtaClient c = client()) {
            c.mail("<alice@example.net>");
            assertThat(c.rcpt("<bob@example.org>").code()).isEqualTo('d');
        }
    }

    @Test
    void theChecksHeaderEditsBecomeMilterEditsInOrder() {
        start(DETECTIVE + """
                  modules:
                    - Alpha:
                        add: ["Authentication-Results: mx; dkim=none", "X-First: 1"]
                        set: ["X-Mailer: checked", "X-New: fresh"]
                        remove: [Received-SPF]
                        prefix: "[ext]"
                """);
        try (MtaClient c = client()) {
            c.mail("<alice@example.net>");
            c.rcpt("<bob@example.org>");
            c.header("Received-SPF", "pass one");
            c.header("X-Mailer", "Outlook");
            c.header("Received-SPF", "pass two");
            c.header("X-Mailer", "Outlook again");
            c.header("X-Decency-Score", "100");
            c.header("Subject", "hello");
            c.eoh();
            c.body("Hi\r\n");
            assertThat(c.eom()).extracting(MtaClient.Reply::toString).containsExactly(
                    "m:1:X-Decency-Score=", // the sender's own X-Decency field goes
                    "m:2:Received-SPF=", "m:1:Received-SPF=", // every occurrence, the last first
                    "m:2:X-Mailer=", "m:1:X-Mailer= checked", // set: the first changed, the others deleted
                    "m:1:Subject= [ext] hello",
                    "i:0:Authentication-Results= mx; dkim=none", "i:1:X-First= 1", // on top, in order
                    "h:X-New= fresh", // set, missing: added
                    "h:X-Decency-Result= GOOD", "h:X-Decency-Score= 0", "h:X-Decency-SpamInfo= none", "h:X-Decency-Details= Alpha=0",
                    "a");
        }
    }

    @Test
    void withoutLeadingSpaceAgreedTheValuesComeWithout() {
        start(DETECTIVE + "  modules:\n    - Alpha: {prefix: \"[ext]\"}\n");
        try (MtaClient c = mta().negotiate(6, MtaClient.POSTFIX_ACTIONS, MtaClient.POSTFIX_STEPS & ~Milter.SMFIP_HDR_LEADSPC)) {
            c.connect("mail.example.net", "198.51.100.7");
            c.mail("<alice@example.net>");
            c.rcpt("<bob@example.org>");
            c.header("Subject", "hello");
            c.eoh();
            c.body("Hi\r\n");
            assertThat(c.eom()).extracting(MtaClient.Reply::toString).contains("m:1:Subject=[ext] hello", "h:X-Decency-Result=GOOD");
        }
        assertThat(journal.mails.getFirst()).startsWith("Subject: hello\r\n\r\nHi\r\n");
    }

    @Test
    void aMailOverTheLimitIsRefusedAtTheEndOrLetThroughUnchecked() throws IOException {
        start("server: {host: 127.0.0.1, port: 0, limits: {max_message_size: 2k}}\n" + DETECTIVE + "  modules:\n    - Alpha: {}\n");
        try (MtaClient c = client()) {
            c.mail("<alice@example.net>");
            c.rcpt("<bob@example.org>");
            c.header("Subject", "big");
            c.eoh();
            assertThat(c.body("x".repeat(1000))).as("no reply agreed").isNull();
            assertThat(c.body("x".repeat(1500))).isNull();
            assertThat(c.eom()).singleElement().extracting(MtaClient.Reply::text).as("refused at the end of the data")
                    .isEqualTo("552 5.3.4 Message too big for the content checks");
            // the connection goes on
            c.mail("<alice@example.net>");
            c.rcpt("<bob@example.org>");
            ham(c);
            assertThat(c.eom().getLast().code()).isEqualTo('a');
        }
        try (MtaClient c = waitingClient()) {
            c.mail("<alice@example.net>");
            c.rcpt("<bob@example.org>");
            c.header("Subject", "big");
            c.eoh();
            assertThat(c.body("x".repeat(1000)).code()).isEqualTo('c');
            assertThat(c.body("x".repeat(1500)).text()).as("an MTA that waits at the body hears it at once")
                    .isEqualTo("552 5.3.4 Message too big for the content checks (2048 bytes at most)");
            c.abort();
            // the connection goes on
            c.mail("<alice@example.net>");
            c.rcpt("<bob@example.org>");
            ham(c);
            assertThat(c.eom().getLast().code()).isEqualTo('a');
        }
        assertSpoolEmpty();
        defender.close();
        start("server: {host: 127.0.0.1, port: 0, limits: {max_message_size: 2k, oversize: accept}}\n" + DETECTIVE
                + "  modules:\n    - Alpha: {}\n");
        journal.seen.clear();
        try (MtaClient c = waitingClient()) {
            c.mail("<alice@example.net>");
            c.rcpt("<bob@example.org>");
            c.header("Subject", "big");
            c.eoh();
            assertThat(c.body("x".repeat(3000)).code()).as("the rest is skipped").isEqualTo('s');
            assertThat(c.eom().getLast().code()).isEqualTo('a');
        }
        try (MtaClient c = client()) {
            c.mail("<alice@example.net>");
            c.rcpt("<bob@example.org>");
            c.header("Subject", "big");
            c.eoh();
            assertThat(c.body("x".repeat(3000))).isNull();
            assertThat(c.eom().getLast().code()).as("accepted unchecked, without a reply at the body too").isEqualTo('a');
        }
        assertThat(journal.seen).as("no content check saw a mail it could not read whole").isEmpty();
        assertSpoolEmpty();
    }

    @Test
    void withoutContentChecksTheBodyIsSkippedAndNothingWritten() {
        start("doorman:\n  modules:\n    - Alpha: {stages: [rcpt]}\n");
        try (MtaClient c = waitingClient()) {
            c.mail("<alice@example.net>");
            c.rcpt("<bob@example.org>");
            c.header("Subject", "x");
            c.eoh();
            assertThat(c.body("Hi\r\n").code()).isEqualTo('s');
            assertThat(c.eom().getLast().code()).isEqualTo('a');
        }
        assertSpoolEmpty();
    }

    /** Every mail to a file, however small (in_memory_size: 0). */
    static final String ON_FILE = "server: {host: 127.0.0.1, port: 0, instances: 4, max_connections: 20, limits: {in_memory_size: 0}}\n";

    @Test
    void aSmallMailIsCheckedFromMemoryAndALargeOneFromAFile() throws Exception {
        start("server: {host: 127.0.0.1, port: 0, instances: 4, limits: {in_memory_size: 1k}}\n" + DETECTIVE
                + "  modules:\n    - MimeAttribs: {}\n");
        try (MtaClient c = client()) {
            c.mail("<alice@example.net>");
            c.rcpt("<bob@example.org>");
            c.header("Subject", "small");
            c.eoh();
            c.body("Hi\r\n");
            assertThat(spoolFiles()).as("nothing written for a small mail").isEmpty();
            List<MtaClient.Reply> eom = c.eom();
            assertThat(eom.getLast().code()).isEqualTo('a');
            assertThat(eom).anyMatch(r -> r.text().contains("MimeAttribs=0"));
        }
        try (MtaClient c = waitingClient()) { // the spool is looked at between the chunks
            c.mail("<alice@example.net>");
            c.rcpt("<bob@example.org>");
            c.header("Subject", "large");
            c.eoh();
            c.body("x".repeat(600) + "\r\n");
            assertThat(spoolFiles()).as("still in memory").isEmpty();
            c.body("y".repeat(600) + "\r\n");
            assertThat(spoolFiles()).as("over 1k: to a file").hasSize(1);
            assertThat(c.eom().getLast().code()).isEqualTo('a');
        }
        assertSpoolEmpty();
    }

    @Test
    void theMailFileIsTheOwnersOnlyAndGoneWhenDecided() throws Exception {
        start(ON_FILE + DETECTIVE + "  modules:\n    - Alpha: {}\n");
        try (MtaClient c = waitingClient()) { // the spool is looked at between the chunks
            c.mail("<alice@example.net>");
            c.rcpt("<bob@example.org>");
            c.header("Subject", "x");
            c.eoh();
            c.body("Hi\r\n");
            List<Path> files = spoolFiles();
            assertThat(files).hasSize(1);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.getFirst()))).isEqualTo("rw-------");
            assertThat(c.eom().getLast().code()).isEqualTo('a');
        }
        assertSpoolEmpty();
    }

    @Test
    void aLocalClientPassesUncheckedAsAtTheDoorman() {
        start("doorman:\n  modules:\n    - CBL: {ips: {\"*\": [127.0.0.1]}}\n" + DETECTIVE + "  modules:\n    - Alpha: {score: -100}\n");
        try (MtaClient c = client("127.0.0.1")) {
            c.mail("<root@localhost>");
            assertThat(c.rcpt("<bob@example.org>").code()).isEqualTo('c');
            ham(c);
            assertThat(c.eom().getLast().code()).isEqualTo('a');
        }
    }

    @Test
    void theDoormanAskedAtConnectRefusesTheWholeConnection() {
        start("doorman:\n  stages: [connect, rcpt]\n  modules:\n    - CBL: {ips: {\"*\": [192.0.2.66]}, reject_message: \"Go away\"}\n"
                + DETECTIVE + "  modules:\n    - Alpha: {}\n");
        try (MtaClient c = mta().negotiate()) {
            assertThat(c.agreed(Milter.SMFIP_NR_CONN)).isFalse();
            assertThat(c.connect("bad.example.com", "192.0.2.66").text()).startsWith("554 5.7.1 Go away [");
        }
        try (MtaClient c = mta().negotiate()) {
            assertThat(c.connect("good.example.net", "198.51.100.7").code()).isEqualTo('c');
        }
    }

    @Test
    void quitNewConnectionStartsFreshConnectionFactsOnTheSameSocket() {
        start(DETECTIVE + "  modules:\n    - Alpha: {}\n");
        try (MtaClient c = client("198.51.100.7")) {
            c.mail("<alice@example.net>");
            c.rcpt("<bob@example.org>");
            ham(c);
            assertThat(c.eom().getLast().code()).isEqualTo('a');
            c.quitNewConnection();
            c.connect("[203.0.113.9]", "203.0.113.9");
            c.mail("<x@example.com>");
            c.rcpt("<bob@example.org>");
            ham(c);
            assertThat(c.eom().getLast().code()).isEqualTo('a');
        }
        assertThat(journal.seen).extracting(t -> t.clientAddress()).containsExactly("198.51.100.7", "203.0.113.9");
        Transaction second = journal.seen.get(1);
        assertThat(second.connection().clientName()).as("a client without a name").isEqualTo("unknown");
        assertThat(second.connection().helo()).as("no HELO on the new connection yet").isEmpty();
        assertThat(second.connection().encryptionProtocol()).as("the old connection's TLS is gone").isEmpty();
    }

    @Test
    void hostileInputEndsThatSessionOnlyAndTheServerGoesOn() {
        start(DETECTIVE + "  modules:\n    - Alpha: {}\n");
        List<byte[]> hostile = List.of(
                new byte[] {0, 0, 0, 0, 'A'}, // length 0
                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 'B'}, // negative
                new byte[] {0x7f, 0, 0, 0, 'B', 1, 2, 3}, // 2 GB announced
                new byte[] {0, 0, 0, 3, 'Z', 1, 2}, // unknown command
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes()); // garbage
        try (LogCapture session = new LogCapture("org.decency.defender.milter.MilterSession")) {
            for (byte[] h : hostile) {
                try (MtaClient c = client()) {
                    c.mail("<alice@example.net>");
                    c.raw(h);
                    assertThat(c.closedByPeer()).as("the Defender hung up on %s", new String(h)).isTrue();
                }
            }
            assertThat(session.lines()).hasSize(hostile.size()).allMatch(l -> l.contains("session ended in the middle of a message"));
        }
        try (MtaClient c = client()) {
            c.mail("<alice@example.net>");
            c.rcpt("<bob@example.org>");
            ham(c);
            assertThat(c.eom().getLast().code()).isEqualTo('a');
        }
        assertSpoolEmpty();
    }

    @Test
    void aPeerThatVanishesMidBodyLeavesNoFile() {
        start(ON_FILE + DETECTIVE + "  modules:\n    - Alpha: {}\n");
        try (MtaClient c = waitingClient()) { // the spool is looked at between the chunks
            c.mail("<alice@example.net>");
            c.rcpt("<bob@example.org>");
            c.header("Subject", "x");
            c.eoh();
            c.body("part one\r\n");
            assertThat(spoolFiles()).hasSize(1);
            c.raw(java.util.Arrays.copyOf(MtaClient.frame('B', "part two".getBytes()), 6)); // then the socket closes
        }
        assertSpoolEmpty();
        assertThat(journal.seen).isEmpty();
    }

    @Test
    void beyondMaxConnectionsAConnectionIsClosedAtOnce() throws InterruptedException {
        start("server: {host: 127.0.0.1, port: 0, max_connections: 2}\n" + DETECTIVE + "  modules:\n    - Alpha: {}\n");
        try (MtaClient a = mta().negotiate(); MtaClient b = mta().negotiate()) {
            try (MtaClient extra = mta()) {
                assertThat(extra.closedByPeer()).isTrue();
            }
            a.close();
            long until = System.currentTimeMillis() + 5_000;
            while (defender.connections() > 1 && System.currentTimeMillis() < until) Thread.sleep(10);
            try (MtaClient again = mta()) {
                again.negotiate(); // served: a slot came free
            }
            b.connect("h", "198.51.100.1"); // the others were never disturbed
        }
    }

    @Test
    void anIdleConnectionIsClosed() {
        start("server: {host: 127.0.0.1, port: 0, limits: {idle_timeout: 1s}}\n" + DETECTIVE + "  modules:\n    - Alpha: {}\n");
        try (MtaClient c = client()) {
            long t0 = System.nanoTime();
            assertThat(c.closedByPeer()).isTrue();
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(500L, 10_000L);
        }
    }

    @Test
    void onAUnixDomainSocketAnIdleConnectionIsClosedAndTheNextServed() {
        start("server: {socket: defender.sock, socket_mode: \"0600\", limits: {idle_timeout: 1s}}\n" + DETECTIVE
                + "  modules:\n    - Alpha: {}\n");
        assertThat(defender.port()).isEqualTo(-1);
        try (MtaClient c = mta().negotiate()) {
            long t0 = System.nanoTime();
            assertThat(c.closedByPeer()).isTrue();
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(500L, 10_000L);
        }
        try (MtaClient c = mta().negotiate()) {
            c.connect("h", "198.51.100.1");
            c.mail("<alice@example.net>");
            c.rcpt("<bob@example.org>");
            ham(c);
            assertThat(c.eom().getLast().code()).isEqualTo('a');
        }
        assertThat(journal.seen).hasSize(1);
    }

    @Test
    void aStaleSocketFileIsTakenOverAndALiveOneLeftAlone() throws Exception {
        Path sock = dir.resolve("defender.sock");
        // what a killed server leaves: the file, nobody listening
        try (var dead = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            dead.bind(java.net.UnixDomainSocketAddress.of(sock));
        }
        assertThat(sock).exists();
        start("server: {socket: defender.sock}\n" + DETECTIVE + "  modules:\n    - Alpha: {}\n");
        try (MtaClient c = mta().negotiate()) {
            assertThat(c.version).isEqualTo(6);
        }
        Defender first = defender;
        assertThatThrownBy(() -> start("server: {socket: defender.sock}\n" + DETECTIVE + "  modules:\n    - Alpha: {}\n"))
                .hasMessageContaining("another server listens on " + sock);
        defender = first;
        try (MtaClient c = mta().negotiate()) {
            assertThat(c.version).as("the first server still serves").isEqualTo(6);
        }
        defender.close();
        Files.writeString(sock, "not a socket");
        assertThatThrownBy(() -> start("server: {socket: defender.sock}\n" + DETECTIVE + "  modules:\n    - Alpha: {}\n"))
                .hasMessageContaining(sock + " exists and is not a socket");
        assertThat(Files.readString(sock)).isEqualTo("not a socket");
    }

    @Test
    void aUnixSocketSettingThatCannotWorkIsAClearError() {
        String tail = DETECTIVE + "  modules:\n    - Alpha: {}\n";
        assertThatThrownBy(() -> start("server: {socket: d.sock, port: 14000}\n" + tail)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("give either socket or host and port, not both (port is set too)");
        assertThatThrownBy(() -> start("server: {socket: d.sock, socket_mode: \"rw\"}\n" + tail)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected an octal mode such as 0660, got \"rw\"");
        assertThatThrownBy(() -> start("server: {port: 0, socket_mode: \"0660\"}\n" + tail)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("socket_mode is for server.socket; there is none");
        assertThatThrownBy(() -> start("server: {socket: " + "d".repeat(120) + ".sock}\n" + tail)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("a unix-domain socket's path has at most 107");
        assertThatThrownBy(() -> start("mode: prequeue\nserver: {socket: d.sock}\n" + tail)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("a unix-domain socket is for milter mode");
    }

    @Test
    void aDetectiveWithoutModulesLetsTheMailThroughAndLogsItsDecision() {
        start("detective:\n  spool_dir: spool\n  modules: []\n");
        try (LogCapture decisions = new LogCapture("decency.decision"); MtaClient c = mta().negotiate()) {
            c.connect("h", "198.51.100.1");
            c.mail("<alice@example.net>");
            c.rcpt("<bob@example.org>");
            c.header("Subject", "hello");
            c.eoh();
            assertThat(c.body("Hi\r\n")).as("the body is agreed without reply").isNull();
            assertThat(c.eom().getLast().code()).as("not a tempfail: the log line's threshold (none) is written -inf").isIn('a', 'c');
            assertThat(decisions.lines()).singleElement().asString().contains("action=deliver/good", "score=0", "threshold=-inf");
        }
    }

    @Test
    void aCheckSlowerThanTheIdleTimeoutDoesNotEndTheSession() {
        start("server: {host: 127.0.0.1, port: 0, limits: {idle_timeout: 1s}}\n" + DETECTIVE + "  modules:\n    - Alpha: {sleep: 2500ms}\n");
        try (MtaClient c = mta().negotiate()) {
            c.connect("h", "198.51.100.1");
            c.mail("<alice@example.net>");
            c.rcpt("<bob@example.org>");
            ham(c);
            assertThat(c.eom().getLast().code()).isEqualTo('a'); // the MTA waited, not the Defender
            assertThat(c.closedByPeer()).isTrue(); // and then, silent, it is closed after all
        }
    }

    @Test
    void aClientOfAnUnknownFamilyIsKnownByItsClientAddrMacro() {
        start(DETECTIVE + "  modules:\n    - Alpha: {}\n");
        try (MtaClient c = mta().negotiate()) {
            c.command('C', MtaClient.concat(MtaClient.cstrings("relay.example.net"), new byte[] {'U'}), Milter.SMFIP_NR_CONN,
                    "{client_addr}", "203.0.113.50");
            c.mail("<alice@example.net>");
            c.rcpt("<bob@example.org>");
            ham(c);
            assertThat(c.eom().getLast().code()).isEqualTo('a');
        }
        assertThat(journal.seen.getFirst().clientAddress()).isEqualTo("203.0.113.50");
        assertThat(journal.seen.getFirst().connection().clientName()).isEqualTo("relay.example.net");
    }
}
