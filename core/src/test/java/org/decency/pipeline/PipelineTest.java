package org.decency.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.decency.core.Action;
import org.decency.core.Score;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How a pipeline run asks its checks and turns their answers into a verdict. */
class PipelineTest extends PipelineTestBase {

    @Test
    void checksAreAskedInTheConfiguredOrder() {
        Pipeline p = pipeline("""
                modules:
                  - Gamma: {score: -1}
                  - Alpha: {score: -2}
                  - Beta: {score: -3.5}
                """);

        Verdict v = p.run(from("192.0.2.10"));

        assertThat(journal.asked).containsExactly("Gamma", "Alpha", "Beta");
        assertThat(v.action()).isEqualTo(Action.DUNNO);
        assertThat(v.text()).isEmpty();
        assertThat(v.total()).isEqualTo(-6.5);
        assertThat(v.threshold()).isEqualTo(-100);
        assertThat(v.decidedBy()).isEmpty();
        assertThat(v.briefScores()).isEqualTo("Gamma=-1 Alpha=-2 Beta=-3.5");
        assertThat(p.modules()).extracting(Module::name).containsExactly("Gamma", "Alpha", "Beta");
    }

    @Test
    void onlyChecksForTheTransactionsStageAreAsked() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {stages: [connect, helo], score: -1}
                  - Beta: {score: -2}
                  - Gamma: {stages: [rcpt, message], score: -4}
                """);

        assertThat(p.run(at(Stage.RCPT)).briefScores()).isEqualTo("Beta=-2 Gamma=-4");
        assertThat(p.run(at(Stage.CONNECT)).briefScores()).isEqualTo("Alpha=-1");
        assertThat(p.run(at(Stage.MESSAGE)).briefScores()).isEqualTo("Gamma=-4");
        Verdict none = p.run(at(Stage.DATA));
        assertThat(none.action()).isEqualTo(Action.DUNNO);
        assertThat(none.scores()).isEmpty();
        assertThat(none.decidedBy()).isEmpty();
        assertThat(journal.asked).containsExactly("Beta", "Gamma", "Alpha", "Gamma");
    }

    @Test
    void aFinalWordEndsTheRunAndLaterChecksAreNotAsked() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {score: -5}
                  - Beta: {final: OK}
                  - Gamma: {score: -1}
                """);

        Verdict v = p.run(from("192.0.2.10"));

        assertThat(journal.asked).containsExactly("Alpha", "Beta");
        assertThat(v.action()).isEqualTo(Action.OK);
        assertThat(v.text()).isEmpty();
        assertThat(v.decidedBy()).isEqualTo("Beta");
        assertThat(v.total()).isEqualTo(-5);
        assertThat(v.briefScores()).isEqualTo("Alpha=-5 Beta=0");
    }

    @Test
    void aFinalRejectKeepsItsTextAndGetsTheSessionIdentifier() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {final: REJECT, final_text: Blacklisted}
                """);
        Transaction tx = from("192.0.2.10");

        Verdict v = p.run(tx);

        assertThat(v.action()).isEqualTo(Action.REJECT);
        assertThat(v.text()).isEqualTo("Blacklisted [" + tx.id() + "]");
        assertThat(v.decidedBy()).isEqualTo("Alpha");
    }

    @Test
    void aFinalRejectWithoutTextUsesTheDefaultRejectMessage() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {final: REJECT}
                """);
        Transaction tx = from("192.0.2.10");

        assertThat(p.run(tx).text()).isEqualTo("use decency [" + tx.id() + "]");
    }

    @Test
    void noRejectDetailHidesAFinalRejectsText() {
        Pipeline p = pipeline("""
                no_reject_detail: 1
                default_reject_message: Go away
                modules:
                  - Alpha: {final: REJECT, final_text: Listed in our secret list}
                """);
        Transaction tx = from("192.0.2.10");

        assertThat(p.run(tx).text()).isEqualTo("Go away [" + tx.id() + "]");
    }

    @Test
    void aLiteralReplyAndADeferKeepTheirTextsEvenWithoutDetail() {
        Pipeline reply = pipeline("""
                no_reject_detail: 1
                modules:
                  - Alpha: {final: "554", final_text: 5.7.1 no thanks}
                """);
        Transaction tx = from("192.0.2.10");
        Verdict v = reply.run(tx);
        assertThat(v.action()).isEqualTo(Action.REPLY);
        assertThat(v.text()).isEqualTo("554 5.7.1 no thanks [" + tx.id() + "]");

        Pipeline defer = pipeline("""
                no_session_identifier: 1
                modules:
                  - Alpha: {final: DEFER_IF_PERMIT, final_text: Greylisted}
                """);
        Verdict d = defer.run(from("192.0.2.10"));
        assertThat(d.action()).isEqualTo(Action.DEFER_IF_PERMIT);
        assertThat(d.text()).isEqualTo("Greylisted");
    }

    @Test
    void reachingTheThresholdRejectsWithTheMessagesJoined() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {score: -60, message: Bad HELO}
                  - Beta: {score: -10}
                  - Gamma: {score: -40, message: Sender listed}
                  - Delta: {score: -1, message: never asked}
                """);
        Transaction tx = from("192.0.2.10");

        Verdict v = p.run(tx);

        assertThat(journal.asked).containsExactly("Alpha", "Beta", "Gamma");
        assertThat(v.action()).isEqualTo(Action.REJECT);
        assertThat(v.text()).isEqualTo("Bad HELO / Sender listed [" + tx.id() + "]");
        assertThat(v.total()).isEqualTo(-110);
        assertThat(v.decidedBy()).isEmpty();
        assertThat(v.briefScores()).isEqualTo("Alpha=-60 Beta=-10 Gamma=-40");
    }

    @Test
    void withoutSessionIdentifierTheRejectTextIsJustTheMessages() {
        Pipeline p = pipeline("""
                no_session_identifier: 1
                modules:
                  - Alpha: {score: -60, message: Bad HELO}
                  - Beta: {score: -60, message: Bad sender}
                """);

        assertThat(p.run(from("192.0.2.10")).text()).isEqualTo("Bad HELO / Bad sender");
    }

    @Test
    void noRejectDetailOrNoMessagesGiveTheDefaultRejectMessage() {
        Pipeline hidden = pipeline("""
                no_reject_detail: yes
                default_reject_message: Rejected by policy
                modules:
                  - Alpha: {score: -100, message: Bad HELO}
                """);
        Transaction tx = from("192.0.2.10");
        assertThat(hidden.run(tx).text()).isEqualTo("Rejected by policy [" + tx.id() + "]");

        Pipeline silent = pipeline("""
                modules:
                  - Alpha: {score: -100}
                """);
        Transaction tx2 = from("192.0.2.10");
        assertThat(silent.run(tx2).text()).isEqualTo("use decency [" + tx2.id() + "]");
    }

    @Test
    void aTotalExactlyAtTheWeightThresholdIsSpam() {
        Pipeline p = pipeline("""
                weight_threshold: -10
                modules:
                  - Alpha: {score: -10}
                  - Beta: {score: -1}
                """);

        Verdict v = p.run(from("192.0.2.10"));

        assertThat(v.action()).isEqualTo(Action.REJECT);
        assertThat(v.threshold()).isEqualTo(-10);
        assertThat(journal.asked).containsExactly("Alpha");
    }

    @Test
    void spamThresholdIsTheSameSettingUnderIts020Name() {
        Pipeline p = pipeline("""
                spam_threshold: -5
                modules:
                  - Alpha: {score: -4.5}
                """);
        Verdict v = p.run(from("192.0.2.10"));
        assertThat(v.action()).isEqualTo(Action.DUNNO);
        assertThat(v.threshold()).isEqualTo(-5);

        Pipeline q = pipeline("""
                spam_threshold: -4.5
                modules:
                  - Alpha: {score: -4.5}
                """);
        assertThat(q.run(from("192.0.2.10")).action()).isEqualTo(Action.REJECT);
    }

    @Test
    void positiveScoresCountAgainstNegativeOnes() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {score: 30}
                  - Beta: {score: -120}
                  - Gamma: {score: -15}
                """);

        Verdict v = p.run(from("192.0.2.10"));

        assertThat(v.action()).isEqualTo(Action.REJECT);
        assertThat(v.total()).isEqualTo(-105);
        assertThat(journal.asked).containsExactly("Alpha", "Beta", "Gamma");
    }

    @Test
    void aDisabledModuleIsNotInThePipeline() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {score: -1}
                  - Beta: {score: -2, disable: 1}
                  - Gamma: {score: -3}
                """);

        Verdict v = p.run(from("192.0.2.10"));

        assertThat(p.modules()).extracting(Module::name).containsExactly("Alpha", "Gamma");
        assertThat(journal.asked).containsExactly("Alpha", "Gamma");
        assertThat(v.total()).isEqualTo(-4);
    }

    @Test
    void theSameModuleTwiceReportsUnderItsSecondName() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {score: -1}
                  - Alpha: {name: AlphaStrict, score: -2}
                """);

        Verdict v = p.run(from("192.0.2.10"));

        assertThat(p.modules()).extracting(Module::name).containsExactly("Alpha", "AlphaStrict");
        assertThat(v.briefScores()).isEqualTo("Alpha=-1 AlphaStrict=-2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "::1", "[::1]"})
    void mailFromLocalhostPassesUnchecked(String ip) {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {score: -200}
                  - Beta: {final: REJECT}
                """);

        Verdict v = p.run(from(ip));

        assertThat(v.action()).isEqualTo(Action.DUNNO);
        assertThat(v.decidedBy()).isEqualTo("localhost").isEqualTo(Pipeline.UNCHECKED_LOCAL);
        assertThat(v.scores()).isEmpty();
        assertThat(v.total()).isZero();
        assertThat(journal.asked).isEmpty();
        assertThat(journal.decided).isEmpty();
    }

    @Test
    void forceCheckLocalChecksLocalhostToo() {
        Pipeline p = pipeline("""
                force_check_local: 1
                modules:
                  - Alpha: {score: -1}
                  - Beta: {score: -2}
                """);

        Verdict v = p.run(from("127.0.0.1"));

        assertThat(journal.asked).containsExactly("Alpha", "Beta");
        assertThat(v.decidedBy()).isEmpty();
        assertThat(v.total()).isEqualTo(-3);
    }

    @Test
    void aModuleCanAskForLocalMailItselfUnderEitherName() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {score: -1, force_check_local: 1}
                  - Beta: {score: -2}
                  - Gamma: {score: -4, handle_localhost: yes}
                """);

        Verdict v = p.run(from("::1"));

        assertThat(journal.asked).containsExactly("Alpha", "Gamma");
        assertThat(v.decidedBy()).isEmpty();
        assertThat(v.briefScores()).isEqualTo("Alpha=-1 Gamma=-4");
    }

    @Test
    void aModuleCanRefuseLocalMailWhenTheServerChecksIt() {
        Pipeline p = pipeline("""
                force_check_local: 1
                modules:
                  - Alpha: {score: -1}
                  - Beta: {score: -2, handle_localhost: 0}
                """);

        p.run(from("127.0.0.1"));
        p.run(from("192.0.2.10"));

        assertThat(journal.asked).containsExactly("Alpha", "Alpha", "Beta");
    }

    @Test
    void clientsInIgnoreIpsPassUnchecked() {
        Pipeline p = pipeline("""
                ignore_ips:
                  - 192.0.2.0/24
                  - 2001:db8::/32
                  - 198.51.100.7
                modules:
                  - Alpha: {final: REJECT}
                """);

        for (String ip : List.of("192.0.2.200", "2001:db8::25", "198.51.100.7")) {
            Verdict v = p.run(from(ip));
            assertThat(v.action()).as(ip).isEqualTo(Action.DUNNO);
            assertThat(v.decidedBy()).as(ip).isEqualTo("ignore_ips");
        }
        assertThat(journal.asked).isEmpty();

        assertThat(p.run(from("198.51.100.8")).action()).isEqualTo(Action.REJECT);
        assertThat(p.run(from("2001:db9::1")).action()).isEqualTo(Action.REJECT);
        assertThat(journal.asked).containsExactly("Alpha", "Alpha");
    }

    @Test
    void aCheckThatThrowsCountsZeroAndTheRunGoesOn() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {fail: 1, score: -50}
                  - Beta: {score: -2}
                """);

        Verdict v = p.run(from("192.0.2.10"));

        assertThat(journal.asked).containsExactly("Alpha", "Beta");
        assertThat(v.scores()).containsExactly(new Score("Alpha", 0, "error: IllegalStateException"), new Score("Beta", -2, ""));
        assertThat(v.action()).isEqualTo(Action.DUNNO);
        assertThat(v.total()).isEqualTo(-2);
    }

    @Test
    void aCheckThatFoundNothingStillShowsWithZeroSoTheLogNamesEveryCheckAsked() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {result: nothing}
                  - Beta: {score: -2}
                """);

        assertThat(p.run(from("192.0.2.10")).briefScores()).isEqualTo("Alpha=0 Beta=-2");
    }

    @Test
    void aCheckAnsweringNullOrANonNumberCountsZeroAndTheRunGoesOn() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {result: "null"}
                  - Beta: {result: nan}
                  - Gamma: {score: -3}
                """);

        Verdict v = p.run(from("192.0.2.10"));

        assertThat(v.scores()).containsExactly(new Score("Alpha", 0, ""),
                new Score("Beta", 0, "error: IllegalArgumentException"), new Score("Gamma", -3, ""));
        assertThat(v.total()).isEqualTo(-3);
    }

    @Test
    void aBlockingCheckOverItsTimeoutCountsZeroAndTheRunGoesOn() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {blocking: 1, sleep: 2s, timeout: 50ms, score: -200}
                  - Beta: {score: -2}
                """);
        assertThat(p.blocking()).isTrue();

        long t0 = System.nanoTime();
        Verdict v = p.run(from("192.0.2.10"));
        long tookMs = (System.nanoTime() - t0) / 1_000_000;

        assertThat(tookMs).isLessThan(1500);
        assertThat(v.scores()).containsExactly(new Score("Alpha", 0, "timeout after 50ms"), new Score("Beta", -2, ""));
        assertThat(v.action()).isEqualTo(Action.DUNNO);
        assertThat(journal.decided).containsExactly("Alpha DUNNO", "Beta DUNNO");
    }

    @Test
    void aCheckThatTimesOutOrThrowsAnswersWithItsOwnFailureOutcome() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {blocking: 1, sleep: 2s, timeout: 50ms, score: -200, defer_on_failure: 1}
                  - Beta: {score: -2}
                """);
        Verdict v = p.run(from("192.0.2.10"));
        assertThat(v.action()).isEqualTo(Action.DEFER);
        assertThat(v.decidedBy()).isEqualTo("Alpha");
        assertThat(v.scores()).containsExactly(new Score("Alpha", 0, "timeout after 50ms"));

        Pipeline q = pipeline("""
                modules:
                  - Alpha: {blocking: 1, fail: 1, defer_on_failure: 1}
                """);
        assertThat(q.run(from("192.0.2.11")).action()).isEqualTo(Action.DEFER);
    }

    @Test
    void aBlockingCheckWithinItsTimeoutCountsNormally() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {blocking: 1, score: -3, message: slow but sure, timeout: 10s}
                  - Beta: {blocking: 1, fail: 1}
                """);

        Verdict v = p.run(from("192.0.2.10"));

        assertThat(v.scores()).containsExactly(new Score("Alpha", -3, ""), new Score("Beta", 0, "error: IllegalStateException"));
    }

    @Test
    void aPipelineOfQuickChecksIsNotBlocking() {
        assertThat(pipeline("modules:\n  - Alpha: {}\n").blocking()).isFalse();
    }

    @Test
    void onlyTheChecksThatWereAskedHearTheDecision() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {stages: [connect]}
                  - Beta: {score: -1}
                  - Gamma: {final: REJECT}
                  - Delta: {score: -1}
                """);

        p.run(from("192.0.2.10"));

        assertThat(journal.asked).containsExactly("Beta", "Gamma");
        assertThat(journal.decided).containsExactly("Beta REJECT", "Gamma REJECT");
    }

    @Test
    void aCheckFailingAfterTheDecisionDoesNotChangeIt() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {score: -1, fail_decided: 1}
                  - Beta: {final: OK}
                """);

        Verdict v = p.run(from("192.0.2.10"));

        assertThat(v.action()).isEqualTo(Action.OK);
        assertThat(journal.decided).containsExactly("Alpha OK", "Beta OK");
    }

    @Test
    void laterChecksSeeTheFlagsOfEarlierOnesAndTheVerdictCarriesThemAll() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {flag: whitelisted_helo}
                  - Beta: {flag: another}
                  - Gamma: {score: -1}
                """);

        Verdict v = p.run(from("192.0.2.10"));

        assertThat(v.scores()).containsExactly(new Score("Alpha", 0, ""), new Score("Beta", 0, "whitelisted_helo"),
                new Score("Gamma", -1, "another,whitelisted_helo"));
        assertThat(v.flags()).containsExactlyInAnyOrder("whitelisted_helo", "another");
    }

    @Test
    void aFinalWordVerdictKeepsTheScoresAndFlagsSoFar() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {score: -7.25, flag: seen}
                  - Beta: {final: DEFER, final_text: try later, flag: deferred}
                """);
        Transaction tx = from("192.0.2.10");

        Verdict v = p.run(tx);

        assertThat(v.action()).isEqualTo(Action.DEFER);
        assertThat(v.text()).isEqualTo("try later [" + tx.id() + "]");
        assertThat(v.total()).isEqualTo(-7.25);
        assertThat(v.briefScores()).isEqualTo("Alpha=-7.25 Beta=0");
        assertThat(v.flags()).containsExactlyInAnyOrder("seen", "deferred");
        assertThat(v.decidedBy()).isEqualTo("Beta");
    }
}
