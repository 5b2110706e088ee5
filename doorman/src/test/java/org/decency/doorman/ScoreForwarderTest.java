package org.decency.doorman;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.decency.core.Action;
import org.decency.core.ManualClock;
import org.decency.core.Score;
import org.decency.core.Verdict;
import org.decency.forward.EnvelopeBinding;
import org.decency.forward.InstanceHeader;
import org.decency.forward.ScoreSigner;
import org.decency.forward.ScoreVerifier;
import org.decency.pipeline.Pipeline;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;

class ScoreForwarderTest {
    final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    final InMemoryStore store = new InMemoryStore(clock);

    static Map<String, String> request(String queueId) {
        return Map.of("request", "smtpd_access_policy", "protocol_state", "RCPT", "client_address", "192.0.2.1",
                "helo_name", "mail.example.net", "sender", "Alice@example.net", "recipient", "bob+news@example.org",
                "queue_id", queueId);
    }

    static Verdict verdict(Action a) {
        return new Verdict(a, "", -30, -100, List.of(new Score("BASIC_HELO_NOT_FQDN", -30, "helo")), Set.of("spf_pass"), "");
    }

    @Test
    void withAKeyTheHeaderIsSignedForTheRecipientAsGivenWithItsExtension() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        var tx = new PolicyTransactions("+").from(request(""));
        assertThat(tx.recipient().raw()).as("the checks see the recipient without extension").isEqualTo("bob@example.org");
        InstanceHeader h = new ScoreForwarder(new ScoreSigner(pair.getPrivate()), null).header(tx, verdict(Action.DUNNO), 1767225600);
        assertThat(h.value()).startsWith(tx.id() + "|").endsWith("|-30|1767225600|spf_pass|Module: BASIC_HELO_NOT_FQDN; Score: -30; helo");
        ScoreVerifier verifier = new ScoreVerifier(pair.getPublic());
        assertThat(verifier.verifies(h, EnvelopeBinding.of("192.0.2.1", "alice@example.net", "bob+news@example.org"))).isTrue();
        assertThat(verifier.verifies(h, EnvelopeBinding.of("192.0.2.1", "alice@example.net", "bob@example.org"))).isFalse();
    }

    @Test
    void withoutAKeyTheHeaderSaysUnsigned() {
        var tx = new PolicyTransactions("").from(request(""));
        assertThat(ScoreForwarder.unsigned().header(tx, verdict(Action.DUNNO), 5).signature()).isEqualTo("unsigned");
        assertThat(new PolicyReply(false).render(tx, verdict(Action.DUNNO), 5))
                .isEqualTo("PREPEND X-Decency-Instance: " + tx.id() + "|unsigned|-30|5|spf_pass|Module: BASIC_HELO_NOT_FQDN; Score: -30; helo");
    }

    @Test
    void theFindingsWaitInTheStoreUnderIdAndQueueIdForTenMinutes() {
        var forwarder = new ScoreForwarder(null, store);
        var tx = new PolicyTransactions("").from(request("4XqTz1234"));
        forwarder.remember(tx, verdict(Action.DUNNO), 1767225600);
        String expected = tx.id() + "|unsigned|-30|1767225600|spf_pass|Module: BASIC_HELO_NOT_FQDN; Score: -30; helo";
        assertThat(store.get("doorman:score:" + tx.id())).contains(expected);
        assertThat(store.get("doorman:queue:4XqTz1234")).contains(expected);
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(store.get("doorman:score:" + tx.id())).isPresent();
        clock.advance(Duration.ofSeconds(2));
        assertThat(store.get("doorman:score:" + tx.id())).isEmpty();
        assertThat(store.get("doorman:queue:4XqTz1234")).isEmpty();
    }

    @Test
    void withoutQueueIdOnlyTheIdAndAnOkCountsToo() {
        var forwarder = new ScoreForwarder(null, store);
        var tx = new PolicyTransactions("").from(request(""));
        forwarder.remember(tx, verdict(Action.OK), 1);
        assertThat(store.get("doorman:score:" + tx.id())).isPresent();
        assertThat(store.get("doorman:queue:")).isEmpty();
    }

    @Test
    void refusedOrUncheckedRecipientsLeaveNothing() {
        var forwarder = new ScoreForwarder(null, store);
        for (Action a : List.of(Action.REJECT, Action.DEFER, Action.DEFER_IF_PERMIT, Action.REPLY)) {
            var tx = new PolicyTransactions("").from(request("4XqTz1234"));
            forwarder.remember(tx, verdict(a), 1);
            assertThat(store.get("doorman:score:" + tx.id())).as(a.name()).isEmpty();
        }
        var tx = new PolicyTransactions("").from(request("4XqTz1234"));
        forwarder.remember(tx, new Verdict(Action.DUNNO, "", 0, -100, List.of(), Set.of(), Pipeline.UNCHECKED_LOCAL), 1);
        assertThat(store.get("doorman:score:" + tx.id())).isEmpty();
        assertThat(store.get("doorman:queue:4XqTz1234")).isEmpty();
    }
}
