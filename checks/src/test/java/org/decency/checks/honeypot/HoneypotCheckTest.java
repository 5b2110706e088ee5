package org.decency.checks.honeypot;

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
import org.decency.core.ManualClock;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HoneypotCheckTest {
    static final String TRAPS = """
            addresses: [Trap@Example.org]
            domains:
              - honey.example
              - domain: example.net
                exceptions: [postmaster, Abuse]
            """;

    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T10:00:00Z"));
    final InMemoryStore store = new InMemoryStore(clock);

    @Test
    void mailToATrapAddressIsRefusedWithTheWelcomeMessageAndMarksTheClient() throws Exception {
        HoneypotCheck check = honeypot(TRAPS);

        Outcome o = rcpt(check, "192.0.2.9", "trap@EXAMPLE.org");

        assertThat(o.finalWord().action()).isEqualTo(Action.REJECT);
        assertThat(o.finalWord().text()).isEqualTo("The honey has been served.");
        assertThat(o.scores().getFirst().code()).isEqualTo("Honeypot");
        assertThat(o.scores().getFirst().detail())
                .isEqualTo("recipient trap@example.org is a honeypot; client 192.0.2.9 marked for 2w");
        assertThat(store.get("honeypot:192.0.2.9")).contains(Long.toString(clock.instant().getEpochSecond()));
    }

    @Test
    void aMarkedClientIsRefusedForEverythingAtEveryStage() throws Exception {
        HoneypotCheck check = honeypot(TRAPS);
        rcpt(check, "192.0.2.9", "trap@example.org");

        Outcome later = rcpt(check, "192.0.2.9", "real.person@example.org");
        assertThat(later.finalWord().action()).isEqualTo(Action.REJECT);
        assertThat(later.finalWord().text()).isEqualTo("Your host ip is blacklisted.");
        assertThat(later.scores().getFirst().detail()).isEqualTo("client 192.0.2.9 hit a honeypot before");

        for (Stage stage : List.of(Stage.CONNECT, Stage.HELO, Stage.MAIL)) {
            assertThat(ask(check, stage, "192.0.2.9", "").finalWord().action()).as(stage.name()).isEqualTo(Action.REJECT);
        }
        assertThat(rcpt(check, "192.0.2.10", "real.person@example.org")).isEqualTo(Outcome.nothing());
    }

    @Test
    void everyAddressOfATrapDomainIsATrapExceptTheExceptions() throws Exception {
        HoneypotCheck check = honeypot(TRAPS);

        assertThat(rcpt(check, "192.0.2.1", "anyone@honey.example").finalWord().text()).isEqualTo("The honey has been served.");
        assertThat(rcpt(check, "192.0.2.2", "whoever@example.net").finalWord().text()).isEqualTo("The honey has been served.");
        assertThat(rcpt(check, "192.0.2.3", "Postmaster@example.net")).isEqualTo(Outcome.nothing());
        assertThat(rcpt(check, "192.0.2.3", "abuse@example.net")).isEqualTo(Outcome.nothing());
        assertThat(rcpt(check, "192.0.2.3", "anyone@sub.honey.example")).isEqualTo(Outcome.nothing());
        assertThat(rcpt(check, "192.0.2.3", "other@example.org")).isEqualTo(Outcome.nothing());
        assertThat(store.get("honeypot:192.0.2.3")).isEmpty();
    }

    @Test
    void aTrapIsOnlyRecognisedAtRcpt() throws Exception {
        HoneypotCheck check = honeypot(TRAPS);

        assertThat(ask(check, Stage.MAIL, "192.0.2.9", "trap@example.org")).isEqualTo(Outcome.nothing());
        assertThat(store.get("honeypot:192.0.2.9")).isEmpty();
    }

    @Test
    void theMarkExpiresAfterTheTtl() throws Exception {
        HoneypotCheck check = honeypot(TRAPS);
        rcpt(check, "192.0.2.9", "trap@example.org");

        clock.advance(Duration.ofDays(14).minusSeconds(1));
        assertThat(rcpt(check, "192.0.2.9", "real@example.org").finalWord()).isNotNull();
        clock.advance(Duration.ofSeconds(1));
        assertThat(rcpt(check, "192.0.2.9", "real@example.org")).isEqualTo(Outcome.nothing());
    }

    @Test
    void markTtlAndItsSeedAliasAreHonoured() throws Exception {
        HoneypotCheck check = honeypot("addresses: trap@example.org\nmark_ttl: 1h\n");
        HoneypotCheck seedNamed = honeypot("addresses: trap@example.org\nmaintenance_ttl: 2h\n");
        rcpt(check, "192.0.2.1", "trap@example.org");
        rcpt(seedNamed, "192.0.2.2", "trap@example.org");

        clock.advance(Duration.ofMinutes(90));

        assertThat(rcpt(check, "192.0.2.1", "real@example.org")).isEqualTo(Outcome.nothing());
        assertThat(rcpt(seedNamed, "192.0.2.2", "real@example.org").finalWord()).isNotNull();
    }

    @Test
    void hittingATrapAgainRenewsTheMark() throws Exception {
        HoneypotCheck check = honeypot("addresses: trap@example.org\nmark_ttl: 1h\n");
        rcpt(check, "192.0.2.1", "trap@example.org");
        clock.advance(Duration.ofMinutes(50));

        Outcome again = rcpt(check, "192.0.2.1", "trap@example.org");
        assertThat(again.finalWord().text()).isEqualTo("Your host ip is blacklisted.");
        clock.advance(Duration.ofMinutes(50));

        assertThat(rcpt(check, "192.0.2.1", "real@example.org").finalWord()).isNotNull();
    }

    @Test
    void customMessagesAreUsed() throws Exception {
        HoneypotCheck check = honeypot(TRAPS + "reject_message: Still no.\nwelcome_message: Gotcha.\n");

        assertThat(rcpt(check, "192.0.2.9", "trap@example.org").finalWord().text()).isEqualTo("Gotcha.");
        assertThat(rcpt(check, "192.0.2.9", "real@example.org").finalWord().text()).isEqualTo("Still no.");
    }

    @Test
    void inScoreModeAHitAddsTheScoreInsteadOfRejecting() throws Exception {
        HoneypotCheck check = honeypot(TRAPS + "score: -60\n");

        Outcome trap = rcpt(check, "192.0.2.9", "trap@example.org");
        assertThat(trap.finalWord()).isNull();
        assertThat(trap.total()).isEqualTo(-60);
        assertThat(trap.message()).isEqualTo("The honey has been served.");

        Outcome later = rcpt(check, "192.0.2.9", "real@example.org");
        assertThat(later.finalWord()).isNull();
        assertThat(later.total()).isEqualTo(-60);
        assertThat(later.message()).isEqualTo("Your host ip is blacklisted.");
    }

    @Test
    void passForCollectionAcceptsAndFlagsTheMailInsteadOfRejecting() throws Exception {
        HoneypotCheck check = honeypot(TRAPS + "pass_for_collection: yes\n");

        Outcome trap = rcpt(check, "192.0.2.9", "trap@example.org");
        assertThat(trap.finalWord().action()).isEqualTo(Action.PREPEND);
        assertThat(trap.finalWord().text()).isEmpty();
        assertThat(trap.flags()).containsExactly("honey");
        assertThat(store.get("honeypot:192.0.2.9")).isPresent();

        Outcome later = rcpt(check, "192.0.2.9", "real@example.org");
        assertThat(later.finalWord().action()).isEqualTo(Action.PREPEND);
        assertThat(later.flags()).containsExactly("honey");
    }

    @Test
    void aClientWithoutKnownAddressIsSkipped() throws Exception {
        HoneypotCheck check = honeypot(TRAPS);

        assertThat(rcpt(check, "", "trap@example.org")).isEqualTo(Outcome.nothing());
        assertThat(rcpt(check, "unknown", "trap@example.org")).isEqualTo(Outcome.nothing());
    }

    @Test
    void ipv6ClientsAreMarkedUnderTheirCanonicalAddress() throws Exception {
        HoneypotCheck check = honeypot(TRAPS);
        rcpt(check, "2001:DB8::9", "trap@example.org");

        assertThat(rcpt(check, "2001:db8:0:0::9", "real@example.org").finalWord().action()).isEqualTo(Action.REJECT);
    }

    private HoneypotCheck honeypot(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("honeypot.yml"), yaml);
        CheckEnvironment env = new CheckEnvironment(store, clock, dir, "doorman", List.of(), List.of());
        return (HoneypotCheck) new HoneypotFactory().create("Honeypot", ConfigLoader.loadFile(file, ""), env);
    }

    private static Outcome rcpt(HoneypotCheck check, String ip, String recipient) throws Exception {
        return ask(check, Stage.RCPT, ip, recipient);
    }

    private static Outcome ask(HoneypotCheck check, Stage stage, String ip, String recipient) throws Exception {
        Envelope envelope = recipient.isEmpty() ? Envelope.of("sender@elsewhere.example")
                : Envelope.of("sender@elsewhere.example", recipient);
        return check.evaluate(Transaction.of(stage, Connection.of(ip, "", ""), envelope), new Evaluation(-100));
    }
}
