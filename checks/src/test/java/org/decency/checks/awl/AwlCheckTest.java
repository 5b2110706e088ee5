package org.decency.checks.awl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.Action;
import org.decency.core.CheckEnvironment;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.Identifiers;
import org.decency.core.MailAddress;
import org.decency.core.ManualClock;
import org.decency.core.Score;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.pipeline.Pipeline;
import org.decency.pipeline.PipelineBuilder;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWL learns from the verdicts of real pipeline runs: the AWL first, then {@link ProbeFactory
 * Probe}, which stands for the other checks and scores or answers as each test mail says.
 */
class AwlCheckTest {
    static final String IP = "192.0.2.7";
    static final String SENDER = "alice@sender.example";

    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T10:00:00Z"));
    final InMemoryStore store = new InMemoryStore(clock);

    @Test
    void aPairIsTrustedAfterPassCountGoodMails() throws IOException {
        Pipeline p = pipeline("pass_count: 3");
        for (int i = 0; i < 3; i++) {
            Verdict v = send(p, IP, SENDER, 0);
            assertThat(v.action()).isEqualTo(Action.DUNNO);
            assertThat(v.briefScores()).isEqualTo("AWL=0 Probe=0");
            assertThat(awl(v).detail()).isEqualTo("pair seen " + i + "/3 times");
        }

        Verdict trusted = send(p, IP, SENDER, 0);
        assertThat(trusted.action()).isEqualTo(Action.DUNNO);
        assertThat(trusted.briefScores()).isEqualTo("AWL=20 Probe=0");
        assertThat(trusted.total()).isEqualTo(20);
        assertThat(awl(trusted).detail()).isEqualTo("trusted after 3 good mails");
        assertThat(store.get("awl:domain:192.0.2.0/24:sender.example")).contains("4");
    }

    @Test
    void theTrustCoversTheClientNetAndTheScopeOnly() throws IOException {
        Pipeline p = pipeline("pass_count: 2\nweight: 15");
        send(p, IP, SENDER, 0);
        send(p, IP, SENDER, 0);

        assertThat(awl(send(p, "192.0.2.200", "bob@Sender.Example", 0)).delta()).as("same /24, same sender domain").isEqualTo(15);
        assertThat(awl(send(p, "192.0.3.7", SENDER, 0)).delta()).as("another /24").isZero();
        assertThat(awl(send(p, IP, "alice@other.example", 0)).delta()).as("another sender domain").isZero();
    }

    @Test
    void aPrefixOf32TrustsTheSingleAddressOnly() throws IOException {
        Pipeline p = pipeline("pass_count: 1\nclient_net_v4: 32");
        send(p, IP, SENDER, 0);

        assertThat(awl(send(p, IP, SENDER, 0)).delta()).isEqualTo(20);
        assertThat(awl(send(p, "192.0.2.8", SENDER, 0)).delta()).isZero();
    }

    @Test
    void oneMessageCountsOnceHoweverManyRequestsItMakes() throws IOException {
        Pipeline p = pipeline("pass_count: 2");
        p.run(tx(Stage.MAIL, IP, SENDER, "msg-1", Map.of()));
        for (int i = 0; i < 3; i++) assertThat(p.run(tx(Stage.RCPT, IP, SENDER, "msg-1", Map.of())).action()).isEqualTo(Action.DUNNO);

        assertThat(awl(p.run(tx(Stage.MAIL, IP, SENDER, "msg-2", Map.of()))).detail()).isEqualTo("pair seen 1/2 times");
        Verdict third = p.run(tx(Stage.MAIL, IP, SENDER, "msg-3", Map.of()));
        assertThat(awl(third).detail()).isEqualTo("trusted after 2 good mails");
    }

    @Test
    void aMailCountsOnlyWhenTheOtherChecksScoredAtLeastMinScore() throws IOException {
        Pipeline strict = pipeline("pass_count: 2");
        for (int i = 0; i < 3; i++) send(strict, IP, SENDER, -5);
        assertThat(awl(send(strict, IP, SENDER, 0)).detail()).isEqualTo("pair seen 0/2 times");

        Pipeline lenient = pipeline("pass_count: 2\nmin_score: -10");
        send(lenient, "198.51.100.7", SENDER, -10);
        send(lenient, "198.51.100.7", SENDER, -10.5);
        assertThat(awl(send(lenient, "198.51.100.7", SENDER, -5)).detail()).isEqualTo("pair seen 1/2 times");
    }

    @Test
    void theAwlsOwnScoreDoesNotCountTowardsMinScore() throws IOException {
        Pipeline p = pipeline("pass_count: 2\nmin_score: 10\nweight: 50");
        send(p, IP, SENDER, 10);
        send(p, IP, SENDER, 10);

        Verdict own = send(p, IP, SENDER, 0);
        assertThat(own.total()).isEqualTo(50);
        assertThat(awl(send(p, IP, SENDER, 10)).detail()).isEqualTo("trusted after 2 good mails");
        assertThat(awl(send(p, IP, SENDER, 0)).detail()).isEqualTo("trusted after 3 good mails");
    }

    @Test
    void withFinalOkATrustedPairEndsTheRunWithOkAndTheWhitelistedFlag() throws IOException {
        Pipeline p = pipeline("pass_count: 2\nfinal_ok: 1");
        send(p, IP, SENDER, 0);
        send(p, IP, SENDER, 0);

        Verdict v = send(p, IP, SENDER, -500);

        assertThat(v.action()).isEqualTo(Action.OK);
        assertThat(v.text()).isEmpty();
        assertThat(v.flags()).containsExactly("whitelisted");
        assertThat(v.decidedBy()).isEqualTo("AWL");
        assertThat(v.briefScores()).as("the other checks are not asked").isEqualTo("AWL=0");
        assertThat(awl(v).detail()).isEqualTo("trusted after 2 good mails");
    }

    @Test
    void aRejectionClearsThePair() throws IOException {
        Pipeline p = pipeline("pass_count: 2");
        send(p, IP, SENDER, 0);
        send(p, IP, SENDER, 0);

        Verdict rejected = answer(p, IP, SENDER, "REJECT");
        assertThat(rejected.action()).isEqualTo(Action.REJECT);
        assertThat(rejected.briefScores()).isEqualTo("AWL=20 Probe=0");

        assertThat(awl(send(p, IP, SENDER, 0)).detail()).isEqualTo("pair seen 0/2 times");
        assertThat(store.get("awl:domain:192.0.2.0/24:sender.example")).contains("1");
    }

    @Test
    void aPermanentReplyClearsThePairToo() throws IOException {
        Pipeline p = pipeline("pass_count: 1");
        send(p, IP, SENDER, 0);

        assertThat(answer(p, IP, SENDER, "550").action()).isEqualTo(Action.REPLY);

        assertThat(awl(send(p, IP, SENDER, 0)).detail()).isEqualTo("pair seen 0/1 times");
    }

    @Test
    void deferralsNeitherCountNorClear() throws IOException {
        Pipeline p = pipeline("pass_count: 2");
        send(p, IP, SENDER, 0);
        for (String a : List.of("DEFER", "DEFER_IF_PERMIT", "450")) {
            assertThat(answer(p, IP, SENDER, a).action().refuses()).isTrue();
        }

        assertThat(awl(send(p, IP, SENDER, 0)).detail()).isEqualTo("pair seen 1/2 times");
    }

    @Test
    void withoutForgetOnRejectARejectionKeepsTheTrust() throws IOException {
        Pipeline p = pipeline("pass_count: 1\nforget_on_reject: 0");
        send(p, IP, SENDER, 0);

        answer(p, IP, SENDER, "REJECT");

        assertThat(awl(send(p, IP, SENDER, 0)).detail()).isEqualTo("trusted after 1 good mails");
    }

    @Test
    void scopeSenderPairsTheNetWithTheWholeAddress() throws IOException {
        Pipeline p = pipeline("pass_count: 1\nscope: sender");
        send(p, IP, "Alice@Sender.example", 0);

        assertThat(awl(send(p, IP, "alice@sender.example", 0)).delta()).isEqualTo(20);
        assertThat(awl(send(p, IP, "bob@sender.example", 0)).delta()).isZero();
        assertThat(store.get("awl:sender:192.0.2.0/24:alice@sender.example")).contains("2");
        assertThat(awl(send(p, IP, "", 0)).detail()).as("bounces have no sender: the AWL says nothing").isEmpty();
    }

    @Test
    void scopeClientTrustsTheNetForEverySender() throws IOException {
        Pipeline p = pipeline("pass_count: 2\nscope: client");
        send(p, IP, "a@one.example", 0);
        send(p, "192.0.2.8", "", 0);

        assertThat(awl(send(p, "192.0.2.9", "c@three.example", 0)).delta()).isEqualTo(20);
        assertThat(store.get("awl:client:192.0.2.0/24")).contains("3");
    }

    @Test
    void scopeSenderDomainSkipsBounces() throws IOException {
        Pipeline p = pipeline("pass_count: 1");

        assertThat(send(p, IP, "", 0).briefScores()).isEqualTo("AWL=0 Probe=0");
        assertThat(awl(send(p, IP, "", 0)).detail()).as("the AWL said nothing").isEmpty();
        assertThat(awl(send(p, "unknown", SENDER, 0)).detail()).as("no client address").isEmpty();
    }

    @Test
    void countingStartsOverALifetimeAfterThePairsFirstGoodMail() throws IOException {
        Pipeline p = pipeline("pass_count: 2\nlifetime: 10d");
        send(p, IP, SENDER, 0);
        clock.advance(Duration.ofDays(9));
        assertThat(awl(send(p, IP, SENDER, 0)).detail()).isEqualTo("pair seen 1/2 times");
        clock.advance(Duration.ofDays(1));

        assertThat(awl(send(p, IP, SENDER, 0)).detail()).isEqualTo("pair seen 0/2 times");
        assertThat(awl(send(p, IP, SENDER, 0)).detail()).isEqualTo("pair seen 1/2 times");
    }

    @Test
    void aTrustedPairStaysTrustedWhileItKeepsSendingGoodMail() throws IOException {
        Pipeline p = pipeline("pass_count: 2\nlifetime: 10d");
        send(p, IP, SENDER, 0);
        send(p, IP, SENDER, 0);

        for (int day = 8; day <= 40; day += 8) {
            clock.advance(Duration.ofDays(8));
            assertThat(awl(send(p, IP, SENDER, 0)).delta()).as("day %d", day).isEqualTo(20);
        }
        clock.advance(Duration.ofDays(10));
        assertThat(awl(send(p, IP, SENDER, 0)).detail()).isEqualTo("pair seen 0/2 times");
    }

    @Test
    void withFinalOkATrustedPairAlsoStaysTrustedWhileItKeepsSending() throws IOException {
        Pipeline p = pipeline("pass_count: 2\nlifetime: 10d\nfinal_ok: 1");
        send(p, IP, SENDER, 0);
        send(p, IP, SENDER, 0);

        for (int day = 8; day <= 40; day += 8) {
            clock.advance(Duration.ofDays(8));
            assertThat(send(p, IP, SENDER, 0).action()).as("day %d", day).isEqualTo(Action.OK);
        }
        clock.advance(Duration.ofDays(10));
        assertThat(send(p, IP, SENDER, 0).action()).isEqualTo(Action.DUNNO);
    }

    @Test
    void awlAsksAtMailAndRcpt() throws IOException {
        Pipeline p = pipeline("pass_count: 1");

        assertThat(p.modules().getFirst().check().stages()).containsExactlyInAnyOrder(Stage.MAIL, Stage.RCPT);
        assertThat(p.run(tx(Stage.HELO, IP, SENDER, "", Map.of())).briefScores()).isEqualTo("Probe=0");
    }

    // --- helpers

    private Pipeline pipeline(String awlSettings) throws IOException {
        String yaml = "modules:\n  - AWL: {" + awlSettings.replace("\n", ", ") + "}\n  - Probe: {}\n";
        Path file = Files.writeString(dir.resolve("doorman.yml"), yaml);
        ConfigNode root = ConfigLoader.load(file);
        CheckEnvironment env = new CheckEnvironment(store, clock, dir, "doorman", List.of(), List.of());
        PipelineBuilder.Result r = new PipelineBuilder().register(new ProbeFactory()).build(root, env, null);
        root.finish();
        return r.pipeline();
    }

    /** One mail (a single RCPT request, no instance) that the other checks score {@code score}. */
    private static Verdict send(Pipeline p, String ip, String sender, double score) {
        return p.run(tx(Stage.RCPT, ip, sender, "", Map.of(ProbeFactory.SCORE, Double.toString(score))));
    }

    /** One mail that another check answers with {@code answer}. */
    private static Verdict answer(Pipeline p, String ip, String sender, String answer) {
        return p.run(tx(Stage.RCPT, ip, sender, "", Map.of(ProbeFactory.ANSWER, answer)));
    }

    private static Transaction tx(Stage stage, String ip, String sender, String instance, Map<String, String> attributes) {
        List<MailAddress> rcpts = stage == Stage.RCPT ? List.of(MailAddress.parse("user@example.org")) : List.of();
        Envelope e = new Envelope(MailAddress.parse(sender), rcpts, 0, 0, "", instance);
        return new Transaction(Identifiers.next(), stage, Connection.of(ip, "mx.example.net", "mx.example.net"), e,
                new HashMap<>(attributes));
    }

    private static Score awl(Verdict v) {
        return v.scores().stream().filter(s -> s.code().equals("AWL")).findFirst()
                .orElseThrow(() -> new AssertionError("no AWL score in " + v.briefScores()));
    }
}
