package org.decency.checks.greylist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.decency.config.ConfigLoader;
import org.decency.core.Action;
import org.decency.core.CheckEnvironment;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.Evaluation;
import org.decency.core.FinalWord;
import org.decency.core.ManualClock;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GreylistCheckTest {
    static final String FROM = "Sender@Example.NET";
    static final String TO = "user@example.org";
    /** Only the triplet decides: no auto-whitelisting in the way. */
    static final String TRIPLETS_ONLY = "auto_whitelist_clients: 0\nrecipient_domain_threshold: -1\nsender_domain_threshold: -1\n";

    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T10:00:00Z"));
    final InMemoryStore store = new InMemoryStore(clock);

    @Test
    void theFirstAttemptOfANewTripletIsDeferredIfPermitWithTheTimeToWait() throws Exception {
        GreylistCheck check = greylist("");

        Outcome o = rcpt(check, "192.0.2.7", FROM, TO);

        assertThat(o.finalWord()).isEqualTo(new FinalWord(Action.DEFER_IF_PERMIT, "Greylisted, please retry in 5m"));
        assertThat(o.scores()).containsExactly(new Score("Greylist", 0, "new triplet 192.0.2.0/24 sender@example.net -> user@example.org"));
        assertThat(store.get("greylist:t:192.0.2.0/24:sender@example.net:user@example.org"))
                .contains(clock.instant().getEpochSecond() + ",0");
    }

    @Test
    void aRetryBeforeTheDelayIsDeferredWithTheTimeLeftAndDoesNotRestartTheClock() throws Exception {
        GreylistCheck check = greylist("");
        rcpt(check, "192.0.2.7", FROM, TO);

        clock.advance(Duration.ofSeconds(200));
        Outcome early = rcpt(check, "192.0.2.7", FROM, TO);
        assertThat(early.finalWord()).isEqualTo(new FinalWord(Action.DEFER_IF_PERMIT, "Greylisted, please retry in 1m 40s"));
        assertThat(early.scores().getFirst().detail()).isEqualTo("retry too early (after 200s)");

        clock.advance(Duration.ofSeconds(99));
        assertThat(rcpt(check, "192.0.2.7", FROM, TO).finalWord().text()).isEqualTo("Greylisted, please retry in 1s");

        clock.advance(Duration.ofSeconds(1));
        assertThat(rcpt(check, "192.0.2.7", FROM, TO).finalWord()).isNull();
    }

    @Test
    void aRetryAfterTheDelayPassesAndLaterMailsOfTheTripletPassAtOnce() throws Exception {
        GreylistCheck check = greylist(TRIPLETS_ONLY);
        rcpt(check, "192.0.2.7", FROM, TO);
        clock.advance(Duration.ofMinutes(7));

        Outcome retry = rcpt(check, "192.0.2.7", FROM, TO);
        assertThat(retry.finalWord()).isNull();
        assertThat(retry.scores()).containsExactly(new Score("Greylist", 0, "passed after 420s"));

        clock.advance(Duration.ofDays(3));
        Outcome later = rcpt(check, "192.0.2.7", "sender@example.net", "USER@example.org");
        assertThat(later.finalWord()).isNull();
        assertThat(later.scores()).containsExactly(new Score("Greylist", 0, "known triplet"));

        assertThat(rcpt(check, "192.0.2.7", FROM, "other@example.org").finalWord().text())
                .isEqualTo("Greylisted, please retry in 5m");
        assertThat(rcpt(check, "192.0.2.7", "other@example.net", TO).finalWord().text())
                .isEqualTo("Greylisted, please retry in 5m");
    }

    @Test
    void aRetryAfterTheRetryWindowStartsOver() throws Exception {
        GreylistCheck check = greylist("delay: 10m\nretry_window: 1h\n");
        rcpt(check, "192.0.2.7", FROM, TO);
        clock.advance(Duration.ofMinutes(59));
        clock.advance(Duration.ofSeconds(59));
        assertThat(store.get("greylist:t:192.0.2.0/24:sender@example.net:user@example.org")).isPresent();

        clock.advance(Duration.ofSeconds(1));
        Outcome tooLate = rcpt(check, "192.0.2.7", FROM, TO);
        assertThat(tooLate.finalWord()).isEqualTo(new FinalWord(Action.DEFER_IF_PERMIT, "Greylisted, please retry in 10m"));
        assertThat(tooLate.scores().getFirst().detail()).startsWith("new triplet ");

        clock.advance(Duration.ofMinutes(9));
        assertThat(rcpt(check, "192.0.2.7", FROM, TO).finalWord().text()).isEqualTo("Greylisted, please retry in 1m");
        clock.advance(Duration.ofMinutes(1));
        assertThat(rcpt(check, "192.0.2.7", FROM, TO).finalWord()).isNull();
    }

    @Test
    void aPassedTripletIsKeptForItsLifetimeAfterTheLastMailAndThenForgotten() throws Exception {
        GreylistCheck check = greylist(TRIPLETS_ONLY + "lifetime: 10d\n");
        pass(check, "192.0.2.7", FROM, TO);

        clock.advance(Duration.ofDays(9));
        assertThat(rcpt(check, "192.0.2.7", FROM, TO).scores().getFirst().detail()).isEqualTo("known triplet");
        clock.advance(Duration.ofDays(9));
        assertThat(rcpt(check, "192.0.2.7", FROM, TO).scores().getFirst().detail()).isEqualTo("known triplet");

        clock.advance(Duration.ofDays(10));
        Outcome forgotten = rcpt(check, "192.0.2.7", FROM, TO);
        assertThat(forgotten.finalWord().action()).isEqualTo(Action.DEFER_IF_PERMIT);
        assertThat(forgotten.scores().getFirst().detail()).startsWith("new triplet ");
    }

    @Test
    void anotherAddressOfTheSameSlash24IsTheSameClient() throws Exception {
        GreylistCheck check = greylist(TRIPLETS_ONLY);
        rcpt(check, "192.0.2.7", FROM, TO);
        clock.advance(Duration.ofMinutes(5));

        assertThat(rcpt(check, "192.0.2.200", FROM, TO).scores().getFirst().detail()).isEqualTo("passed after 300s");
        assertThat(rcpt(check, "192.0.3.7", FROM, TO).finalWord().action()).isEqualTo(Action.DEFER_IF_PERMIT);
    }

    @Test
    void aPrefixOf32KeepsTheAddressesOfOneNetworkApart() throws Exception {
        GreylistCheck check = greylist(TRIPLETS_ONLY + "client_net_v4: 32\n");
        rcpt(check, "192.0.2.7", FROM, TO);
        clock.advance(Duration.ofMinutes(5));

        Outcome other = rcpt(check, "192.0.2.200", FROM, TO);
        assertThat(other.finalWord().action()).isEqualTo(Action.DEFER_IF_PERMIT);
        assertThat(other.scores().getFirst().detail()).isEqualTo("new triplet 192.0.2.200/32 sender@example.net -> user@example.org");
        assertThat(rcpt(check, "192.0.2.7", FROM, TO).finalWord()).isNull();
    }

    @Test
    void ipv6ClientsAreGroupedBySlash64UnlessConfiguredOtherwise() throws Exception {
        GreylistCheck check = greylist(TRIPLETS_ONLY);
        Outcome first = rcpt(check, "2001:db8:1:2::1", FROM, TO);
        assertThat(first.scores().getFirst().detail())
                .isEqualTo("new triplet 2001:db8:1:2:0:0:0:0/64 sender@example.net -> user@example.org");
        clock.advance(Duration.ofMinutes(5));
        assertThat(rcpt(check, "2001:db8:1:2:ffff::9", FROM, TO).finalWord()).isNull();
        assertThat(rcpt(check, "2001:db8:1:3::1", FROM, TO).finalWord()).isNotNull();

        GreylistCheck single = greylist(TRIPLETS_ONLY + "client_net_v6: 128\n");
        rcpt(single, "2001:db8:5::1", FROM, TO);
        clock.advance(Duration.ofMinutes(5));
        assertThat(rcpt(single, "2001:db8:5::2", FROM, TO).finalWord()).isNotNull();
        assertThat(rcpt(single, "2001:db8:5:0::1", FROM, TO).finalWord()).isNull();
    }

    @Test
    void aClientNetIsWhitelistedOnceItsTripletsPassedAutoWhitelistClientsTimes() throws Exception {
        GreylistCheck check = greylist("auto_whitelist_clients: 2\nrecipient_domain_threshold: -1\nsender_domain_threshold: -1\n");
        pass(check, "192.0.2.7", "a@one.example", "x@example.org");
        assertThat(rcpt(check, "192.0.2.7", "b@two.example", "y@example.com").finalWord()).isNotNull();
        clock.advance(Duration.ofMinutes(5));
        assertThat(rcpt(check, "192.0.2.7", "b@two.example", "y@example.com").finalWord()).isNull();

        Outcome newcomer = rcpt(check, "192.0.2.99", "c@three.example", "z@example.net");
        assertThat(newcomer.finalWord()).isNull();
        assertThat(newcomer.scores()).containsExactly(new Score("Greylist", 0, "client 192.0.2.0/24 auto-whitelisted"));
        assertThat(rcpt(check, "198.51.100.1", "c@three.example", "z@example.net").finalWord()).isNotNull();
    }

    @Test
    void knownTripletsDoNotCountTowardsTheClientWhitelist() throws Exception {
        GreylistCheck check = greylist("auto_whitelist_clients: 2\nrecipient_domain_threshold: -1\nsender_domain_threshold: -1\n");
        pass(check, "192.0.2.7", FROM, TO);
        for (int i = 0; i < 5; i++) assertThat(rcpt(check, "192.0.2.7", FROM, TO).scores().getFirst().detail()).isEqualTo("known triplet");

        assertThat(rcpt(check, "192.0.2.7", "new@example.net", TO).finalWord()).isNotNull();
    }

    @Test
    void aSenderAddressIsWhitelistedForTheRecipientDomainAfterRecipientDomainThresholdPasses() throws Exception {
        GreylistCheck check = greylist("auto_whitelist_clients: 0\nrecipient_domain_threshold: 2\nsender_domain_threshold: -1\n");
        pass(check, "192.0.2.7", FROM, "a@example.org");
        assertThat(rcpt(check, "192.0.2.7", FROM, "b@example.org").finalWord()).isNotNull();
        clock.advance(Duration.ofMinutes(5));
        rcpt(check, "192.0.2.7", FROM, "b@example.org");

        Outcome third = rcpt(check, "192.0.2.7", FROM, "c@example.org");
        assertThat(third.finalWord()).isNull();
        assertThat(third.scores()).containsExactly(new Score("Greylist", 0, "sender sender@example.net auto-whitelisted for example.org"));

        assertThat(rcpt(check, "192.0.2.7", FROM, "c@example.com").finalWord()).as("another recipient domain").isNotNull();
        assertThat(rcpt(check, "192.0.2.7", "other@example.net", "c@example.org").finalWord()).as("another sender").isNotNull();
        assertThat(rcpt(check, "198.51.100.1", FROM, "c@example.org").finalWord()).as("another client net").isNotNull();
    }

    @Test
    void aSenderDomainIsWhitelistedForTheRecipientDomainAfterSenderDomainThresholdPasses() throws Exception {
        GreylistCheck check = greylist("auto_whitelist_clients: 0\nrecipient_domain_threshold: -1\nsender_domain_threshold: 2\n");
        pass(check, "192.0.2.7", "a@sender.example", "x@example.org");
        pass(check, "192.0.2.7", "b@sender.example", "y@example.org");

        Outcome third = rcpt(check, "192.0.2.8", "c@Sender.Example", "z@example.org");
        assertThat(third.finalWord()).isNull();
        assertThat(third.scores()).containsExactly(new Score("Greylist", 0, "sender domain sender.example auto-whitelisted for example.org"));

        assertThat(rcpt(check, "192.0.2.7", "c@sender.example", "z@example.com").finalWord()).isNotNull();
        assertThat(rcpt(check, "192.0.2.7", "c@other.example", "z@example.org").finalWord()).isNotNull();
    }

    @Test
    void minusOneAndZeroTurnTheAutoWhitelistsOff() throws Exception {
        GreylistCheck check = greylist(TRIPLETS_ONLY);
        for (int i = 0; i < 12; i++) pass(check, "192.0.2.7", "s" + i + "@sender.example", "r" + i + "@example.org");

        Outcome next = rcpt(check, "192.0.2.7", "s0@sender.example", "new@example.org");
        assertThat(next.finalWord()).isEqualTo(new FinalWord(Action.DEFER_IF_PERMIT, "Greylisted, please retry in 5m"));
    }

    @Test
    void theDefaultThresholdsWhitelistASenderAddressAfterFivePassesAndAClientAfterFive() throws Exception {
        GreylistCheck check = greylist("");
        for (int i = 0; i < 5; i++) pass(check, "192.0.2.7", FROM, "r" + i + "@example.org");

        assertThat(rcpt(check, "192.0.2.7", "new@other.example", "new@example.com").scores().getFirst().detail())
                .isEqualTo("client 192.0.2.0/24 auto-whitelisted");
    }

    @Test
    void bouncesAndWhitelistedMailAreNeverGreylisted() throws Exception {
        GreylistCheck check = greylist("");

        assertThat(rcpt(check, "192.0.2.7", "", TO)).isEqualTo(Outcome.nothing());
        assertThat(rcpt(check, "192.0.2.7", "<>", TO)).isEqualTo(Outcome.nothing());
        assertThat(rcpt(check, "192.0.2.7", FROM, TO, "whitelisted")).isEqualTo(Outcome.nothing());
        assertThat(store.get("greylist:t:192.0.2.0/24:sender@example.net:user@example.org")).isEmpty();
        assertThat(rcpt(check, "192.0.2.7", FROM, TO).finalWord()).isNotNull();
    }

    @Test
    void requestsWithoutClientAddressOrRecipientAreSkipped() throws Exception {
        GreylistCheck check = greylist("");

        assertThat(rcpt(check, "", FROM, TO)).isEqualTo(Outcome.nothing());
        assertThat(rcpt(check, "unknown", FROM, TO)).isEqualTo(Outcome.nothing());
        assertThat(check.evaluate(Transaction.of(Stage.RCPT, Connection.of("192.0.2.7", "", ""), Envelope.of(FROM)),
                new Evaluation(-100))).isEqualTo(Outcome.nothing());
        assertThat(check.stages()).containsExactly(Stage.RCPT);
    }

    @Test
    void withIgnoreIpIfValidatedASenderVouchedForBySpfOrAssociationMayRetryFromAnyAddress() throws Exception {
        GreylistCheck check = greylist(TRIPLETS_ONLY + "ignore_ip_if_validated: 1\n");

        Outcome first = rcpt(check, "192.0.2.7", FROM, TO, "spf_pass");
        assertThat(first.scores().getFirst().detail()).isEqualTo("new triplet IGNOREVALID sender@example.net -> user@example.org");
        clock.advance(Duration.ofMinutes(5));

        assertThat(rcpt(check, "198.51.100.9", FROM, TO, "assoc_ok").finalWord()).isNull();
        assertThat(rcpt(check, "203.0.113.1", FROM, TO, "spf_pass").scores().getFirst().detail()).isEqualTo("known triplet");
        assertThat(rcpt(check, "203.0.113.1", FROM, TO).finalWord()).as("not validated: the client counts").isNotNull();
        assertThat(rcpt(check, "203.0.113.1", FROM, TO, "spf_nopass").finalWord()).isNotNull();
    }

    @Test
    void withoutIgnoreIpIfValidatedTheClientCountsEvenForValidatedSenders() throws Exception {
        GreylistCheck check = greylist(TRIPLETS_ONLY);
        rcpt(check, "192.0.2.7", FROM, TO, "spf_pass");
        clock.advance(Duration.ofMinutes(5));

        Outcome o = rcpt(check, "198.51.100.9", FROM, TO, "spf_pass");
        assertThat(o.finalWord()).isNotNull();
        assertThat(o.scores().getFirst().detail()).isEqualTo("new triplet 198.51.100.0/24 sender@example.net -> user@example.org");
    }

    @Test
    void validatedPassesDoNotWhitelistEveryValidatedClient() throws Exception {
        GreylistCheck check = greylist("ignore_ip_if_validated: 1\nauto_whitelist_clients: 2\n"
                + "recipient_domain_threshold: -1\nsender_domain_threshold: -1\n");
        pass(check, "192.0.2.7", "a@one.example", TO, "spf_pass");
        pass(check, "198.51.100.7", "b@two.example", TO, "spf_pass");

        Outcome stranger = rcpt(check, "203.0.113.7", "c@three.example", TO, "spf_pass");
        assertThat(stranger.finalWord()).isNotNull();
        assertThat(stranger.scores().getFirst().detail()).isEqualTo("new triplet IGNOREVALID c@three.example -> user@example.org");
    }

    @Test
    void validatedPassesCountForTheRealClientNet() throws Exception {
        GreylistCheck check = greylist("ignore_ip_if_validated: 1\nauto_whitelist_clients: 2\n"
                + "recipient_domain_threshold: -1\nsender_domain_threshold: -1\n");
        pass(check, "192.0.2.7", "a@one.example", TO, "spf_pass");
        pass(check, "192.0.2.8", "b@two.example", TO, "assoc_ok");

        assertThat(rcpt(check, "192.0.2.9", "c@three.example", TO).scores().getFirst().detail())
                .isEqualTo("client 192.0.2.0/24 auto-whitelisted");
    }

    @Test
    void anAutoWhitelistStaysWhileTheClientKeepsSending() throws Exception {
        GreylistCheck check = greylist("lifetime: 10d\nauto_whitelist_clients: 1\nrecipient_domain_threshold: -1\nsender_domain_threshold: -1\n");
        pass(check, "192.0.2.7", FROM, TO);

        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofDays(6));
            assertThat(rcpt(check, "192.0.2.7", "s" + i + "@example.net", TO).scores().getFirst().detail())
                    .as("day %d", 6 * (i + 1)).isEqualTo("client 192.0.2.0/24 auto-whitelisted");
        }
        clock.advance(Duration.ofDays(10));
        assertThat(rcpt(check, "192.0.2.7", "late@example.net", TO).finalWord()).isNotNull();
    }

    @Test
    void action450AnswersWithALiteralReplyAndDeferWithDefer() throws Exception {
        Outcome code = rcpt(greylist("action: 450\n"), "192.0.2.7", FROM, TO);
        assertThat(code.finalWord()).isEqualTo(new FinalWord(Action.REPLY, "450 Greylisted, please retry in 5m"));

        Outcome defer = rcpt(greylist("action: DEFER\nreject_message: Greylisted - Patience, young jedi\n"), "198.51.100.8", FROM, TO);
        assertThat(defer.finalWord()).isEqualTo(new FinalWord(Action.DEFER, "Greylisted - Patience, young jedi"));

        Outcome lower = rcpt(greylist("action: defer_if_permit\nreject_message: \"Come back in %s, please\"\ndelay: 90m\n"),
                "203.0.113.9", FROM, TO);
        assertThat(lower.finalWord()).isEqualTo(new FinalWord(Action.DEFER_IF_PERMIT, "Come back in 1h 30m, please"));
    }

    /** Asks the check about a mail from {@code from} at {@code ip} to {@code to}, with the given flags set by earlier checks. */
    private static Outcome rcpt(GreylistCheck check, String ip, String from, String to, String... flags) throws Exception {
        Evaluation run = new Evaluation(-100);
        for (String f : flags) run.flag(f);
        return check.evaluate(Transaction.of(Stage.RCPT, Connection.of(ip, "mx.example.net", "mx.example.net"), Envelope.of(from, to)), run);
    }

    /** A first attempt, then a retry after the default delay, which must pass. */
    private Outcome pass(GreylistCheck check, String ip, String from, String to, String... flags) throws Exception {
        assertThat(rcpt(check, ip, from, to, flags).finalWord()).as("first attempt of %s %s %s", ip, from, to).isNotNull();
        clock.advance(Duration.ofMinutes(5));
        Outcome retry = rcpt(check, ip, from, to, flags);
        assertThat(retry.finalWord()).as("retry of %s %s %s", ip, from, to).isNull();
        assertThat(retry.scores().getFirst().detail()).isEqualTo("passed after 300s");
        return retry;
    }

    private GreylistCheck greylist(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("greylist.yml"), yaml);
        CheckEnvironment env = new CheckEnvironment(store, clock, dir, "doorman", List.of(), List.of());
        return (GreylistCheck) new GreylistFactory().create("Greylist", ConfigLoader.loadFile(file, ""), env);
    }
}
