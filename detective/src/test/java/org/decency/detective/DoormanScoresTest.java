package org.decency.detective;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.MailAddress;
import org.decency.core.ManualClock;
import org.decency.core.Outcome;
import org.decency.core.Scores;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.forward.EnvelopeBinding;
import org.decency.forward.InstanceHeader;
import org.decency.forward.ScoreSigner;
import org.decency.forward.ScoreVerifier;
import org.decency.mail.SpooledMessage;
import org.decency.message.MessageEdits;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Which of the Doorman's findings count at the Detective, and which are logged away. */
class DoormanScoresTest {
    static final String CLIENT = "192.0.2.1";
    static final String SENDER = "alice@example.net";
    static final String RCPT = "bob@example.org";

    @TempDir Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T12:00:00Z"));
    final long now = clock.millis() / 1000;
    final InMemoryStore store = new InMemoryStore(clock);
    static KeyPair pair;
    ScoreSigner signer;
    DoormanScores accepting;
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    final Logger logger = (Logger) LoggerFactory.getLogger(DoormanScores.class);

    @BeforeEach
    void setUp() throws Exception {
        if (pair == null) pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        signer = new ScoreSigner(pair.getPrivate());
        accepting = new DoormanScores(new AcceptScoring(new ScoreVerifier(pair.getPublic()), Duration.ofMinutes(10)), null, clock);
        logs.start();
        logger.addAppender(logs);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(logs);
        logger.setLevel(null);
        logger.setAdditive(true);
    }

    /** A Doorman header for the mail (client, sender, recipient), signed unless {@code sign} is false. */
    InstanceHeader header(String id, double score, long epoch, String client, String sender, String rcpt, String... flags) {
        InstanceHeader h = InstanceHeader.of(id, score, epoch, Set.of(flags), List.of("Module: Basic; Score: " + Scores.format(score), "Module: SPF; Score: 0"));
        return signer.sign(h, EnvelopeBinding.of(client, sender, rcpt));
    }

    InstanceHeader header(String id, double score, long epoch) {
        return header(id, score, epoch, CLIENT, SENDER, RCPT);
    }

    /** The mail at the Detective: XFORWARD ADDR, MAIL FROM, RCPT TO, these header fields on top. */
    Transaction mail(String queueId, List<String> rcpts, InstanceHeader... headers) throws Exception {
        return mailWithFields(queueId, rcpts, java.util.Arrays.stream(headers).map(h -> InstanceHeader.NAME + ": " + h.value()).toList());
    }

    Transaction mailWithFields(String queueId, List<String> rcpts, List<String> fields) throws Exception {
        StringBuilder m = new StringBuilder();
        for (String f : fields) m.append(f).append("\r\n");
        m.append("Received: from mail.example.net (mail.example.net [192.0.2.1])\r\n\tby mx.example.org (Postfix) with ESMTP id ")
                .append(queueId.isEmpty() ? "-" : queueId).append("\r\n\tfor <bob@example.org>; Sun,  1 Mar 2026 12:00:00 +0000 (UTC)\r\n");
        m.append("From: Alice <alice@example.net>\r\nSubject: hello\r\n\r\nbody\r\n");
        Path file = Files.createTempFile(dir, "mail", ".eml");
        Files.writeString(file, m);
        List<MailAddress> r = rcpts.stream().map(MailAddress::parse).toList();
        Envelope env = new Envelope(MailAddress.parse(SENDER), r, Files.size(file), r.size(), queueId, "");
        return new Transaction("detect1234567890a", Stage.MESSAGE, Connection.of(CLIENT, "mail.example.net", "mail.example.net"),
                env, Map.of(), new SpooledMessage(file));
    }

    List<String> logLines() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aSignedFreshHeaderForThisMailCountsWithItsScoreFlagsAndDetails() throws Exception {
        MessageEdits edits = new MessageEdits();
        Outcome o = accepting.prior(mail("", List.of(RCPT), header("1111aaaaaaaaaaaaa", -30, now - 5, CLIENT, SENDER, RCPT, "spf_pass", "honey")), edits);
        assertThat(o.scores()).singleElement().satisfies(s -> {
            assertThat(s.code()).isEqualTo("Doorman");
            assertThat(s.delta()).isEqualTo(-30);
            assertThat(s.detail()).isEqualTo("Module: Basic; Score: -30; Module: SPF; Score: 0");
        });
        assertThat(o.flags()).containsExactly("honey", "spf_pass");
        assertThat(edits.removed()).containsExactly("x-decency-instance");
        assertThat(logLines()).isEmpty();
    }

    @Test
    void theHeaderOfOneRecipientCountsForAMailToSeveral() throws Exception {
        Outcome o = accepting.prior(mail("", List.of("carol@example.org", "BOB@example.org"), header("1111aaaaaaaaaaaaa", -30, now)), new MessageEdits());
        assertThat(o.total()).isEqualTo(-30);
    }

    @Test
    void unsignedNeverCountsWithAcceptScoring() throws Exception {
        InstanceHeader unsigned = InstanceHeader.of("1111aaaaaaaaaaaaa", 50, now, Set.of("whitelisted"), List.of());
        Outcome o = accepting.prior(mail("", List.of(RCPT), unsigned), new MessageEdits());
        assertThat(o.scores()).isEmpty();
        assertThat(o.flags()).isEmpty();
        assertThat(logLines()).containsExactly("detective id=detect1234567890a: X-Decency-Instance 1111aaaaaaaaaaaaa not counted: unsigned");
    }

    @Test
    void aHeaderReplayedOntoAnotherMailDoesNotCount() throws Exception {
        List<InstanceHeader> replayed = List.of(
                header("1111aaaaaaaaaaaaa", 50, now, CLIENT, SENDER, "carol@example.org"),
                header("2222aaaaaaaaaaaaa", 50, now, CLIENT, "mallory@example.net", RCPT),
                header("3333aaaaaaaaaaaaa", 50, now, "198.51.100.7", SENDER, RCPT));
        for (InstanceHeader h : replayed) {
            assertThat(accepting.prior(mail("", List.of(RCPT), h), new MessageEdits()).scores()).as(h.id()).isEmpty();
        }
        assertThat(logLines()).hasSize(3).allMatch(l -> l.contains("not counted: the signature does not verify for client [192.0.2.1],"
                + " sender <alice@example.net> and the recipients [bob@example.org]"));
    }

    @Test
    void aChangedScoreOrDetailDoesNotCount() throws Exception {
        InstanceHeader h = header("1111aaaaaaaaaaaaa", -30, now);
        String forgedScore = h.value().replace("|-30|", "|30|");
        String forgedDetail = h.value().replace("Module: Basic; Score: -30", "Module: Basic; Score: 30");
        for (String v : List.of(forgedScore, forgedDetail)) {
            assertThat(v).isNotEqualTo(h.value());
            Outcome o = accepting.prior(mailWithFields("", List.of(RCPT), List.of(InstanceHeader.NAME + ": " + v)), new MessageEdits());
            assertThat(o.scores()).isEmpty();
        }
        assertThat(logLines()).hasSize(2).allMatch(l -> l.contains("signature does not verify"));
    }

    @Test
    void anOldOrFutureHeaderDoesNotCount() throws Exception {
        Transaction tx = mail("", List.of(RCPT), header("1111aaaaaaaaaaaaa", -30, now));
        clock.advance(Duration.ofMinutes(10));
        assertThat(accepting.prior(tx, new MessageEdits()).total()).as("just within the window").isEqualTo(-30);
        clock.advance(Duration.ofSeconds(1));
        assertThat(accepting.prior(tx, new MessageEdits()).scores()).isEmpty();
        assertThat(logLines()).last().asString().endsWith("not counted: stale: 601s old, accept_scoring_ttl is 600s");
        long later = clock.millis() / 1000;
        assertThat(accepting.prior(mail("", List.of(RCPT), header("2222aaaaaaaaaaaaa", -30, later + 30)), new MessageEdits()).total())
                .as("a little clock skew").isEqualTo(-30);
        assertThat(accepting.prior(mail("", List.of(RCPT), header("3333aaaaaaaaaaaaa", -30, later + 3600)), new MessageEdits()).scores()).isEmpty();
        assertThat(logLines()).last().asString().endsWith("not counted: its epoch " + (later + 3600) + " lies 3600s in the future");
    }

    @Test
    void ofSeveralHeadersTheNewestValidOneWins() throws Exception {
        InstanceHeader older = header("1111aaaaaaaaaaaaa", -10, now - 120);
        InstanceHeader newest = header("2222aaaaaaaaaaaaa", -20, now - 60);
        InstanceHeader newerButForged = new InstanceHeader("3333aaaaaaaaaaaaa", newest.signature(), "-99", now - 1, List.of(), List.of());
        InstanceHeader newerButUnsigned = InstanceHeader.of("4444aaaaaaaaaaaaa", 100, now, Set.of(), List.of());
        InstanceHeader newerButStale = header("5555aaaaaaaaaaaaa", -40, now - 3600);
        Outcome o = accepting.prior(mail("", List.of(RCPT), newerButUnsigned, older, newerButForged, newest, newerButStale), new MessageEdits());
        assertThat(o.total()).isEqualTo(-20);
        assertThat(logLines()).hasSize(3);
    }

    @Test
    void malformedHeadersAreLoggedAndSkipped() throws Exception {
        Outcome o = accepting.prior(mailWithFields("", List.of(RCPT), List.of(InstanceHeader.NAME + ": garbage",
                InstanceHeader.NAME + ": " + header("1111aaaaaaaaaaaaa", -30, now).value())), new MessageEdits());
        assertThat(o.total()).isEqualTo(-30);
        assertThat(logLines()).containsExactly("detective id=detect1234567890a: X-Decency-Instance header not counted: malformed"
                + " (expected <id>|<signature>|<score>|<epoch>|<flags>|<details>..., got 1 fields)");
    }

    @Test
    void withoutAcceptScoringHeadersDoNotCount() throws Exception {
        DoormanScores off = new DoormanScores(AcceptScoring.off(), store, clock);
        MessageEdits edits = new MessageEdits();
        assertThat(off.prior(mail("", List.of(RCPT), header("1111aaaaaaaaaaaaa", -30, now)), edits)).isEqualTo(Outcome.nothing());
        assertThat(edits.removed()).containsExactly("x-decency-instance");
    }

    @Test
    void aSharedStoreCountsByQueueIdForEveryCopyOfTheMail() throws Exception {
        store.put("doorman:queue:4XqTz1234", "1111aaaaaaaaaaaaa|unsigned|-70|" + now + "|whitelisted|Module: CBL; Score: -70", Duration.ofMinutes(10));
        store.put("doorman:score:1111aaaaaaaaaaaaa", "1111aaaaaaaaaaaaa|unsigned|-70|" + now + "|whitelisted|Module: CBL; Score: -70", Duration.ofMinutes(10));
        DoormanScores off = new DoormanScores(AcceptScoring.off(), store, clock);
        Transaction tx = mail("4XqTz1234", List.of(RCPT));
        assertThat(tx.envelope().queueId()).isEqualTo("4XqTz1234");
        Outcome o = off.prior(tx, new MessageEdits());
        assertThat(o.total()).isEqualTo(-70);
        assertThat(o.flags()).containsExactly("whitelisted");
        assertThat(off.prior(mail("4XqTz1234", List.of("carol@example.org")), new MessageEdits()).total())
                .as("the copy Postfix hands over for the next recipient, under the same queue id").isEqualTo(-70);
        clock.advance(Duration.ofMinutes(11));
        assertThat(off.prior(tx, new MessageEdits()).scores()).as("expired with the Doorman's entry").isEmpty();
    }

    @Test
    void aSharedStoreCountsByTheIdOfAnUnsignedHeader() throws Exception {
        store.put("doorman:score:1111aaaaaaaaaaaaa", "1111aaaaaaaaaaaaa|unsigned|-40|" + now + "||Module: Basic; Score: -40", Duration.ofMinutes(10));
        InstanceHeader unsigned = InstanceHeader.of("1111aaaaaaaaaaaaa", -40, now, Set.of(), List.of());
        DoormanScores off = new DoormanScores(AcceptScoring.off(), store, clock);
        assertThat(off.prior(mail("", List.of(RCPT), unsigned), new MessageEdits()).total()).isEqualTo(-40);
        assertThat(logLines()).isEmpty();
    }

    @Test
    void theStoreComesBeforeASignedHeader() throws Exception {
        store.put("doorman:queue:4XqTz1234", "1111aaaaaaaaaaaaa|unsigned|-70|" + now + "||", Duration.ofMinutes(10));
        DoormanScores both = new DoormanScores(new AcceptScoring(new ScoreVerifier(pair.getPublic()), Duration.ofMinutes(10)), store, clock);
        assertThat(both.prior(mail("4XqTz1234", List.of(RCPT), header("2222aaaaaaaaaaaaa", -20, now)), new MessageEdits()).total()).isEqualTo(-70);
        store.delete("doorman:queue:4XqTz1234");
        assertThat(both.prior(mail("4XqTz1234", List.of(RCPT), header("2222aaaaaaaaaaaaa", -20, now)), new MessageEdits()).total())
                .as("without the store entry: the header").isEqualTo(-20);
    }

    @Test
    void forgedHeadersCannotMakeTheDetectiveCheckSignaturesWithoutEnd() throws Exception {
        List<String> rcpts = new ArrayList<>();
        for (int i = 0; i < 100; i++) rcpts.add("user" + i + "@example.org");
        InstanceHeader real = header("1111aaaaaaaaaaaaa", -30, now - 10, CLIENT, SENDER, "user99@example.org");
        List<InstanceHeader> headers = new ArrayList<>();
        headers.add(real);
        for (int i = 0; i < 50; i++) headers.add(new InstanceHeader("f" + i, real.signature(), "50", now, List.of(), List.of()));
        long t0 = System.nanoTime();
        Outcome o = accepting.prior(mail("", rcpts, headers.toArray(InstanceHeader[]::new)), new MessageEdits());
        assertThat(o.total()).as("the real header on top was checked first").isEqualTo(-30);
        assertThat(logLines()).last().asString().contains("and later ones not checked: 1000 signature checks for this mail are enough");
        assertThat(logLines()).first().asString().contains("the recipients [user0@example.org, user1@example.org, user2@example.org, ... (100 in all)]");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }
}
