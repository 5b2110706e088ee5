package org.decency.checks.throttle;

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
import org.decency.core.MailAddress;
import org.decency.core.ManualClock;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThrottleCheckTest {
    static final String DEFAULT_TEXT_3_600 = "Sorry, Limit reached (3 mails in 600 seconds)";

    @TempDir
    Path dir;
    /** Midnight: the start of a 10-second, 10-minute, hour and day window. */
    final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T00:00:00Z"));
    final InMemoryStore store = new InMemoryStore(clock);

    @Test
    void nMailsPerWindowPassAndTheNextIsDeferredWithTheDefaultMessage() throws Exception {
        ThrottleCheck check = throttle("limits: {client_address: [\"3/10m\"]}");

        for (int i = 1; i <= 3; i++) {
            Outcome o = ask(check, mail("192.0.2.1", "a@sender.example", "r@example.org"));
            assertThat(o.finalWord()).as("mail %d", i).isNull();
            assertThat(o.scores()).containsExactly(new Score("Throttle", 0, "1 counters within limits"));
        }
        Outcome fourth = ask(check, mail("192.0.2.1", "a@sender.example", "r@example.org"));

        assertThat(fourth.finalWord()).isEqualTo(new FinalWord(Action.DEFER, DEFAULT_TEXT_3_600));
        assertThat(fourth.scores()).containsExactly(new Score("Throttle", 0, "client_address 192.0.2.1: 3/3 mails in 600s, limit reached"));
        assertThat(ask(check, mail("192.0.2.2", "a@sender.example", "r@example.org")).finalWord()).isNull();
    }

    @Test
    void theAnswerCanBeRejectOrALiteralCode() throws Exception {
        for (var c : List.of(
                new Object[] {"REJECT", new FinalWord(Action.REJECT, DEFAULT_TEXT_3_600)},
                new Object[] {"450", new FinalWord(Action.REPLY, "450 " + DEFAULT_TEXT_3_600)},
                new Object[] {"550", new FinalWord(Action.REPLY, "550 " + DEFAULT_TEXT_3_600)},
                new Object[] {"defer", new FinalWord(Action.DEFER, DEFAULT_TEXT_3_600)})) {
            ThrottleCheck check = throttle("answer: " + c[0] + "\nlimits: {sender_address: [\"3/10m\"]}");
            String sender = "s-" + c[0] + "@sender.example";
            for (int i = 0; i < 3; i++) ask(check, mail("192.0.2.1", sender, "r@example.org"));

            assertThat(ask(check, mail("192.0.2.1", sender, "r@example.org")).finalWord()).as("answer %s", c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void everyPlaceholderIsFilledInAndRoundedUp() throws Exception {
        ThrottleCheck check = throttle("""
                limits: {client_address: ["2/90m"]}
                default_reject_message: "%maximum% per %interval%s = %interval_minutes%m = %interval_hours%h = %interval_days%d"
                """);
        ask(check, mail("192.0.2.1", "a@sender.example", "r@example.org"));
        ask(check, mail("192.0.2.1", "a@sender.example", "r@example.org"));

        assertThat(ask(check, mail("192.0.2.1", "a@sender.example", "r@example.org")).finalWord())
                .isEqualTo(new FinalWord(Action.DEFER, "2 per 5400s = 90m = 2h = 1d"));
    }

    @Test
    void refusedAttemptsAreNotCounted() throws Exception {
        ThrottleCheck check = throttle("limits: {client_address: [\"5/1h\", \"3/10m\"]}");
        for (int i = 0; i < 3; i++) assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org")).finalWord()).isNull();
        for (int i = 0; i < 10; i++) {
            assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org")).finalWord().text())
                    .isEqualTo("Sorry, Limit reached (3 mails in 600 seconds)");
        }

        clock.advance(Duration.ofMinutes(10));
        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org")).finalWord()).isNull();
        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org")).finalWord()).isNull();
        Outcome sixth = ask(check, mail("192.0.2.1", "a@x.example", "r@example.org"));
        assertThat(sixth.finalWord().text()).isEqualTo("Sorry, Limit reached (5 mails in 3600 seconds)");
        assertThat(sixth.scores().getFirst().detail()).isEqualTo("client_address 192.0.2.1: 5/5 mails in 3600s, limit reached");
    }

    @Test
    void aRefusalByOneKeyGivesBackWhatOtherKeysTook() throws Exception {
        ThrottleCheck check = throttle("limits: {client_address: [\"2/1h\"], sender_address: [\"1/1h\"]}");
        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org")).scores().getFirst().detail())
                .isEqualTo("2 counters within limits");
        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org")).finalWord()).isNotNull();
        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org")).finalWord()).isNotNull();

        assertThat(ask(check, mail("192.0.2.1", "b@x.example", "r@example.org")).finalWord()).isNull();
        Outcome third = ask(check, mail("192.0.2.1", "c@x.example", "r@example.org"));
        assertThat(third.scores().getFirst().detail()).isEqualTo("client_address 192.0.2.1: 2/2 mails in 3600s, limit reached");
    }

    @Test
    void theWindowResetsAtTheNextEpochAlignedWindow() throws Exception {
        ThrottleCheck check = throttle("limits: {client_address: [\"2/10m\"]}");
        clock.advance(Duration.ofMinutes(7));
        ask(check, mail("192.0.2.1", "a@x.example", "r@example.org"));
        ask(check, mail("192.0.2.1", "a@x.example", "r@example.org"));
        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org")).finalWord()).isNotNull();

        clock.advance(Duration.ofSeconds(179));
        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org")).finalWord()).as("00:09:59").isNotNull();
        clock.advance(Duration.ofSeconds(1));
        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org")).finalWord()).as("00:10:00").isNull();
        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org")).finalWord()).isNull();
        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org")).finalWord()).isNotNull();
    }

    @Test
    void aKeyMayHaveSeveralIntervals() throws Exception {
        ThrottleCheck check = throttle("""
                limits:
                  sender_domain: ["1/10s", "3/1h"]
                """);
        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org")).finalWord()).isNull();
        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org")).finalWord().text())
                .isEqualTo("Sorry, Limit reached (1 mails in 10 seconds)");
        clock.advance(Duration.ofSeconds(10));
        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org")).finalWord()).isNull();
        clock.advance(Duration.ofSeconds(10));
        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org")).finalWord()).isNull();
        clock.advance(Duration.ofSeconds(10));
        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org")).finalWord().text())
                .isEqualTo("Sorry, Limit reached (3 mails in 3600 seconds)");
    }

    @Test
    void clientAddressCountsPerAddress() throws Exception {
        ThrottleCheck check = throttle("limits: {client_address: [\"1/1h\"]}");
        assertThat(ask(check, mail("2001:db8::1", "a@x.example", "r@example.org")).finalWord()).isNull();

        assertThat(ask(check, mail("2001:DB8:0::1", "b@y.example", "s@example.com")).scores().getFirst().detail())
                .isEqualTo("client_address 2001:db8:0:0:0:0:0:1: 1/1 mails in 3600s, limit reached");
        assertThat(ask(check, mail("2001:db8::2", "a@x.example", "r@example.org")).finalWord()).isNull();
        assertThat(ask(check, mail("", "a@x.example", "r@example.org"))).as("no client address: no limit").isEqualTo(Outcome.nothing());
    }

    @Test
    void senderDomainCountsEverySenderOfTheDomain() throws Exception {
        ThrottleCheck check = throttle("limits: {sender_domain: [\"1/1h\"]}");
        ask(check, mail("192.0.2.1", "a@X.example", "r@example.org"));

        assertThat(ask(check, mail("192.0.2.2", "b@x.example", "s@example.com")).scores().getFirst().detail())
                .isEqualTo("sender_domain x.example: 1/1 mails in 3600s, limit reached");
        assertThat(ask(check, mail("192.0.2.1", "a@y.example", "r@example.org")).finalWord()).isNull();
        assertThat(ask(check, mail("192.0.2.1", "", "r@example.org"))).as("bounces have no sender domain").isEqualTo(Outcome.nothing());
    }

    @Test
    void senderAddressCountsTheAddressCaseInsensitively() throws Exception {
        ThrottleCheck check = throttle("limits: {sender_address: [\"1/1h\"]}");
        ask(check, mail("192.0.2.1", "Boss@X.example", "r@example.org"));

        assertThat(ask(check, mail("192.0.2.2", "boss@x.example", "s@example.com")).scores().getFirst().detail())
                .isEqualTo("sender_address boss@x.example: 1/1 mails in 3600s, limit reached");
        assertThat(ask(check, mail("192.0.2.1", "other@x.example", "r@example.org")).finalWord()).isNull();
    }

    @Test
    void saslUsernameCountsTheAuthenticatedUser() throws Exception {
        ThrottleCheck check = throttle("limits: {sasl_username: [\"1/1h\"]}");
        assertThat(ask(check, sasl("Alice", "192.0.2.1", "a@x.example")).finalWord()).isNull();

        assertThat(ask(check, sasl("alice", "192.0.2.2", "b@y.example")).scores().getFirst().detail())
                .isEqualTo("sasl_username alice: 1/1 mails in 3600s, limit reached");
        assertThat(ask(check, sasl("bob", "192.0.2.1", "a@x.example")).finalWord()).isNull();
        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org"))).as("not authenticated").isEqualTo(Outcome.nothing());
    }

    @Test
    void recipientDomainAndRecipientAddressCountTheRecipient() throws Exception {
        ThrottleCheck domain = throttle("limits: {recipient_domain: [\"1/1h\"]}");
        ask(domain, mail("192.0.2.1", "a@x.example", "r@Example.org"));
        assertThat(ask(domain, mail("192.0.2.2", "b@y.example", "s@example.org")).scores().getFirst().detail())
                .isEqualTo("recipient_domain example.org: 1/1 mails in 3600s, limit reached");
        assertThat(ask(domain, mail("192.0.2.2", "b@y.example", "s@example.com")).finalWord()).isNull();

        ThrottleCheck address = throttle("limits: {recipient_address: [\"1/1h\"]}");
        ask(address, mail("192.0.2.1", "a@x.example", "R@example.org"));
        assertThat(ask(address, mail("192.0.2.2", "b@y.example", "r@example.org")).scores().getFirst().detail())
                .isEqualTo("recipient_address r@example.org: 1/1 mails in 3600s, limit reached");
        assertThat(ask(address, mail("192.0.2.2", "b@y.example", "s@example.org")).finalWord()).isNull();
    }

    @Test
    void anAccountCountsItsDomainsSubDomainsAndAddressesTogether() throws Exception {
        ThrottleCheck check = throttle("""
                limits: {account: ["3/1h"]}
                accounts:
                  acme: [acme.example, "@acme-mail.example", Boss@Partner.example]
                  other: [other.example]
                """);
        assertThat(ask(check, mail("192.0.2.1", "a@acme.example", "r@example.org")).finalWord()).isNull();
        assertThat(ask(check, mail("192.0.2.2", "b@mx.acme-mail.example", "r@example.org")).finalWord()).isNull();
        assertThat(ask(check, mail("192.0.2.3", "boss@partner.example", "r@example.org")).finalWord()).isNull();

        assertThat(ask(check, mail("192.0.2.1", "c@acme.example", "r@example.org")).scores().getFirst().detail())
                .isEqualTo("account acme: 3/3 mails in 3600s, limit reached");
        assertThat(ask(check, mail("192.0.2.1", "d@other.example", "r@example.org")).finalWord()).isNull();
        assertThat(ask(check, mail("192.0.2.1", "clerk@partner.example", "r@example.org"))).as("outside every account").isEqualTo(Outcome.nothing());
    }

    @Test
    void perValueLimitsReplaceTheKeysLimitsForThatValue() throws Exception {
        ThrottleCheck check = throttle("""
                limits: {sender_domain: ["1/1h"]}
                per_value:
                  sender_domain:
                    Big.example: ["3/1h"]
                    vip.example: ["-1/1h"]
                """);
        for (int i = 0; i < 3; i++) assertThat(ask(check, mail("192.0.2.1", "news@big.example", "r@example.org")).finalWord()).isNull();
        assertThat(ask(check, mail("192.0.2.1", "news@big.example", "r@example.org")).finalWord().text())
                .isEqualTo("Sorry, Limit reached (3 mails in 3600 seconds)");

        for (int i = 0; i < 10; i++) assertThat(ask(check, mail("192.0.2.1", "ceo@vip.example", "r@example.org"))).isEqualTo(Outcome.nothing());

        ask(check, mail("192.0.2.1", "a@small.example", "r@example.org"));
        assertThat(ask(check, mail("192.0.2.1", "a@small.example", "r@example.org")).finalWord().text())
                .isEqualTo("Sorry, Limit reached (1 mails in 3600 seconds)");
    }

    @Test
    void perValueLimitsWorkWithoutLimitsForTheKey() throws Exception {
        ThrottleCheck check = throttle("per_value: {sasl_username: {bulk: [\"1/1d\"]}}");
        ask(check, sasl("bulk", "192.0.2.1", "a@x.example"));

        assertThat(ask(check, sasl("bulk", "192.0.2.1", "a@x.example")).finalWord().text())
                .isEqualTo("Sorry, Limit reached (1 mails in 86400 seconds)");
        assertThat(ask(check, sasl("other", "192.0.2.1", "a@x.example"))).isEqualTo(Outcome.nothing());
    }

    @Test
    void perValueLimitsForAnIpv6ClientMatchWhateverNotationIsUsed() throws Exception {
        ThrottleCheck check = throttle("""
                limits: {client_address: ["5/1h"]}
                per_value: {client_address: {"2001:DB8::25": ["1/1h"]}}
                """);
        ask(check, mail("2001:db8:0:0::25", "a@x.example", "r@example.org"));

        assertThat(ask(check, mail("2001:db8::25", "a@x.example", "r@example.org")).finalWord().text())
                .isEqualTo("Sorry, Limit reached (1 mails in 3600 seconds)");
    }

    @Test
    void perValueLimitsForAnAccountMatchItsNameWhateverItsCase() throws Exception {
        ThrottleCheck check = throttle("""
                limits: {account: ["5/1h"]}
                accounts: {Acme: [acme.example]}
                per_value: {account: {Acme: ["1/1h"]}}
                """);
        ask(check, mail("192.0.2.1", "a@acme.example", "r@example.org"));

        Outcome second = ask(check, mail("192.0.2.1", "a@acme.example", "r@example.org"));
        assertThat(second.finalWord().text()).isEqualTo("Sorry, Limit reached (1 mails in 3600 seconds)");
        assertThat(second.scores().getFirst().detail()).isEqualTo("account acme: 1/1 mails in 3600s, limit reached");
    }

    @Test
    void recipientLimitsCountRecipients() throws Exception {
        ThrottleCheck check = throttle("limits: {client_address: [\"3/1h recipients\"]}");
        Transaction[] rcpts = message("192.0.2.1", "a@x.example", "msg-1", "r1@example.org", "r2@example.org", "r3@example.org", "r4@example.org");

        for (int i = 0; i < 3; i++) assertThat(ask(check, rcpts[i]).finalWord()).isNull();
        Outcome fourth = ask(check, rcpts[3]);
        assertThat(fourth.finalWord().text()).isEqualTo("Sorry, Limit reached (3 mails in 3600 seconds)");
        assertThat(fourth.scores().getFirst().detail()).isEqualTo("client_address 192.0.2.1: 3/3 recipients in 3600s, limit reached");
    }

    @Test
    void atRcptAMessageCountsOncePerKeyButEveryRecipientCountsForRecipientLimits() throws Exception {
        ThrottleCheck check = throttle("""
                limits:
                  sender_address: ["2/1h"]
                  client_address: ["7/1h recipients"]
                  recipient_domain: ["2/1h"]
                """);
        for (Transaction t : message("192.0.2.1", "a@x.example", "msg-1", "r1@example.org", "r2@example.org", "r3@example.com")) {
            assertThat(ask(check, t).finalWord()).isNull();
        }
        for (Transaction t : message("192.0.2.1", "a@x.example", "msg-2", "r4@example.org", "r5@example.com", "r6@example.com")) {
            assertThat(ask(check, t).finalWord()).isNull();
        }

        Transaction[] third = message("192.0.2.1", "b@x.example", "msg-3", "r7@example.org", "r8@example.net");
        assertThat(ask(check, third[0]).scores().getFirst().detail()).isEqualTo("recipient_domain example.org: 2/2 mails in 3600s, limit reached");
        assertThat(ask(check, third[1]).finalWord()).isNull();
        Outcome eighth = ask(check, message("192.0.2.1", "c@x.example", "msg-4", "r9@example.net")[0]);
        assertThat(eighth.scores().getFirst().detail()).isEqualTo("client_address 192.0.2.1: 7/7 recipients in 3600s, limit reached");

        assertThat(ask(check, message("192.0.2.2", "a@x.example", "msg-5", "r@example.net")[0]).scores().getFirst().detail())
                .isEqualTo("sender_address a@x.example: 2/2 mails in 3600s, limit reached");
    }

    @Test
    void aMessageLimitAndARecipientLimitOfTheSameIntervalCountApart() throws Exception {
        ThrottleCheck check = throttle("limits: {sender_address: [\"2/1h\", \"3/1h recipients\"]}");
        for (Transaction t : message("192.0.2.1", "a@x.example", "msg-1", "r1@example.org", "r2@example.org")) {
            assertThat(ask(check, t).finalWord()).isNull();
        }
        assertThat(ask(check, message("192.0.2.1", "a@x.example", "msg-2", "r3@example.org")[0]).finalWord()).isNull();

        assertThat(ask(check, message("192.0.2.1", "a@x.example", "msg-3", "r4@example.org")[0]).scores().getFirst().detail())
                .isEqualTo("sender_address a@x.example: 2/2 mails in 3600s, limit reached");
        long hour = clock.instant().getEpochSecond() / 3600 * 3600;
        assertThat(store.get("throttle:sender_address:a@x.example:mails:3600:" + hour)).contains("2");
        assertThat(store.get("throttle:sender_address:a@x.example:recipients:3600:" + hour)).contains("3");
    }

    @Test
    void withoutAnInstanceEveryRcptRequestIsAMessage() throws Exception {
        ThrottleCheck check = throttle("limits: {sender_address: [\"2/1h\"]}");
        Transaction[] rcpts = message("192.0.2.1", "a@x.example", "", "r1@example.org", "r2@example.org", "r3@example.org");

        assertThat(ask(check, rcpts[0]).finalWord()).isNull();
        assertThat(ask(check, rcpts[1]).finalWord()).isNull();
        assertThat(ask(check, rcpts[2]).finalWord()).isNotNull();
    }

    @Test
    void aMessageRefusedAtItsFirstRcptIsCountedWhenALaterRcptPasses() throws Exception {
        ThrottleCheck check = throttle("limits: {sender_address: [\"2/1h\"], recipient_address: [\"1/1h\"]}");
        ask(check, mail("192.0.2.1", "z@x.example", "busy@example.org"));
        Transaction[] rcpts = message("192.0.2.1", "a@x.example", "msg-1", "busy@example.org", "r2@example.org", "r3@example.org");

        assertThat(ask(check, rcpts[0]).scores().getFirst().detail()).isEqualTo("recipient_address busy@example.org: 1/1 mails in 3600s, limit reached");
        assertThat(ask(check, rcpts[1]).finalWord()).isNull();
        assertThat(ask(check, rcpts[2]).finalWord()).isNull();
        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r4@example.org")).finalWord()).isNull();
        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r5@example.org")).scores().getFirst().detail())
                .isEqualTo("sender_address a@x.example: 2/2 mails in 3600s, limit reached");
    }

    @Test
    void atEndOfMessageAMessageCountsOnceAndItsRecipientsByRecipientCount() throws Exception {
        ThrottleCheck check = throttle("limits: {sender_address: [\"5/1h recipients\", \"2/1h\"]}");

        assertThat(ask(check, endOfMessage("a@x.example", 3, "m1")).finalWord()).isNull();
        Outcome tooMany = ask(check, endOfMessage("a@x.example", 3, "m2"));
        assertThat(tooMany.scores().getFirst().detail()).isEqualTo("sender_address a@x.example: 3/5 recipients in 3600s, limit reached");
        assertThat(ask(check, endOfMessage("a@x.example", 2, "m3")).finalWord()).isNull();
        assertThat(ask(check, endOfMessage("a@x.example", 0, "m4")).scores().getFirst().detail())
                .isEqualTo("sender_address a@x.example: 5/5 recipients in 3600s, limit reached");
    }

    @Test
    void aMessageCountedAtRcptIsNotCountedAgainAtEndOfMessage() throws Exception {
        ThrottleCheck check = throttle("limits: {sender_address: [\"2/1h\", \"4/1h recipients\"]}");
        for (Transaction t : message("192.0.2.1", "a@x.example", "msg-1", "r1@example.org", "r2@example.org")) ask(check, t);
        assertThat(ask(check, endOfMessage("a@x.example", 2, "msg-1")).finalWord()).isNull();

        for (Transaction t : message("192.0.2.1", "a@x.example", "msg-2", "r3@example.org", "r4@example.org")) {
            assertThat(ask(check, t).finalWord()).isNull();
        }
        assertThat(ask(check, endOfMessage("a@x.example", 2, "msg-2")).finalWord()).isNull();
        assertThat(ask(check, endOfMessage("a@x.example", 1, "msg-3")).finalWord()).isNotNull();
    }

    @Test
    void requireSaslUsernameThrottlesOnlyAuthenticatedSenders() throws Exception {
        ThrottleCheck check = throttle("require_sasl_username: 1\nlimits: {sender_domain: [\"1/1h\"]}");

        for (int i = 0; i < 3; i++) assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org"))).isEqualTo(Outcome.nothing());
        assertThat(ask(check, sasl("alice", "192.0.2.1", "a@x.example")).finalWord()).isNull();
        assertThat(ask(check, sasl("bob", "192.0.2.1", "b@x.example")).finalWord()).isNotNull();
    }

    @Test
    void rejectMessagesPerIntervalHaveTheirOwnTextAndCode() throws Exception {
        ThrottleCheck check = throttle("""
                limits: {sender_domain: ["1/10s", "2/10m", "3/1h"]}
                reject_messages:
                  10: {message: "one per 10 seconds", code: 451}
                  10m: {message: "%maximum% per %interval_minutes% minutes"}
                """);
        ask(check, mail("192.0.2.1", "a@x.example", "r@example.org"));
        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org")).finalWord())
                .isEqualTo(new FinalWord(Action.REPLY, "451 one per 10 seconds"));

        clock.advance(Duration.ofSeconds(10));
        ask(check, mail("192.0.2.1", "a@x.example", "r@example.org"));
        clock.advance(Duration.ofSeconds(10));
        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org")).finalWord())
                .isEqualTo(new FinalWord(Action.DEFER, "2 per 10 minutes"));

        clock.advance(Duration.ofMinutes(10));
        ask(check, mail("192.0.2.1", "a@x.example", "r@example.org"));
        clock.advance(Duration.ofSeconds(10));
        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org")).finalWord())
                .isEqualTo(new FinalWord(Action.DEFER, "Sorry, Limit reached (3 mails in 3600 seconds)"));
    }

    @Test
    void theSeedsDefaultRejectMessageGivesTextAndCodeForEveryInterval() throws Exception {
        ThrottleCheck check = throttle("""
                limits: {sender_domain: ["1/10m"]}
                default_reject_message:
                  message: 'Sorry, nicht mehr als %maximum% Mails in %interval_minutes% Minuten'
                  code: 550
                """);
        ask(check, mail("192.0.2.1", "a@x.example", "r@example.org"));

        assertThat(ask(check, mail("192.0.2.1", "a@x.example", "r@example.org")).finalWord())
                .isEqualTo(new FinalWord(Action.REPLY, "550 Sorry, nicht mehr als 1 Mails in 10 Minuten"));
    }

    @Test
    void throttleAsksAtRcptAndEndOfMessageOnly() throws Exception {
        ThrottleCheck check = throttle("limits: {client_address: [\"1/1h\"]}");

        assertThat(check.stages()).containsExactlyInAnyOrder(Stage.RCPT, Stage.END_OF_MESSAGE);
    }

    // --- helpers

    private ThrottleCheck throttle(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("throttle.yml"), yaml);
        CheckEnvironment env = new CheckEnvironment(store, clock, dir, "doorman", List.of(), List.of());
        return (ThrottleCheck) new ThrottleFactory().create("Throttle", ConfigLoader.loadFile(file, ""), env);
    }

    static Outcome ask(ThrottleCheck check, Transaction tx) {
        return check.evaluate(tx, new Evaluation(-100));
    }

    static Transaction mail(String ip, String sender, String recipient) {
        return Transaction.of(Stage.RCPT, Connection.of(ip, "mx.example.net", "mx.example.net"), Envelope.of(sender, recipient));
    }

    static Transaction sasl(String user, String ip, String sender) {
        Connection c = new Connection(ip, "mx.example.net", "mx.example.net", "mx.example.net", "ESMTPA", "PLAIN", user, "",
                "", "", "", "", "");
        return Transaction.of(Stage.RCPT, c, Envelope.of(sender, "r@example.org"));
    }

    /** The RCPT requests of one message: the same Postfix {@code instance}, one recipient each. */
    static Transaction[] message(String ip, String sender, String instance, String... recipients) {
        Transaction[] out = new Transaction[recipients.length];
        for (int i = 0; i < recipients.length; i++) {
            Envelope e = new Envelope(MailAddress.parse(sender), List.of(MailAddress.parse(recipients[i])), 0, 0, "", instance);
            out[i] = Transaction.of(Stage.RCPT, Connection.of(ip, "mx.example.net", "mx.example.net"), e);
        }
        return out;
    }

    static Transaction endOfMessage(String sender, int recipientCount, String instance) {
        Envelope e = new Envelope(MailAddress.parse(sender), List.of(), 1000, recipientCount, "4F2A1B", instance);
        return Transaction.of(Stage.END_OF_MESSAGE, Connection.of("192.0.2.1", "mx.example.net", "mx.example.net"), e);
    }
}
