package org.decency.doorman;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.junit.jupiter.api.Test;

class PolicyTransactionsTest {

    @Test
    void mapsPostfixAttributes() {
        Transaction tx = new PolicyTransactions("+").from(Map.ofEntries(
                Map.entry("request", "smtpd_access_policy"), Map.entry("protocol_state", "RCPT"),
                Map.entry("protocol_name", "ESMTP"), Map.entry("client_address", "2001:db8::1"),
                Map.entry("client_name", "mx.example.net"), Map.entry("reverse_client_name", "mx.example.net"),
                Map.entry("helo_name", "mx.example.net"), Map.entry("sender", "Alice@Example.NET"),
                Map.entry("recipient", "bob+lists@example.org"), Map.entry("recipient_count", "3"),
                Map.entry("size", "12345"), Map.entry("queue_id", "4ABC"), Map.entry("instance", "1a.2b.3"),
                Map.entry("sasl_username", "alice"), Map.entry("ccert_fingerprint", "AA:BB")));
        assertThat(tx.stage()).isEqualTo(Stage.RCPT);
        assertThat(tx.connection().ip()).hasToString("2001:db8:0:0:0:0:0:1");
        assertThat(tx.sender().domain()).isEqualTo("example.net");
        assertThat(tx.sender().localPart()).isEqualTo("Alice");
        assertThat(tx.recipient().raw()).isEqualTo("bob@example.org");
        assertThat(tx.envelope().recipientCount()).isEqualTo(3);
        assertThat(tx.envelope().size()).isEqualTo(12345);
        assertThat(tx.envelope().queueId()).isEqualTo("4ABC");
        assertThat(tx.envelope().instance()).isEqualTo("1a.2b.3");
        assertThat(tx.connection().saslUsername()).isEqualTo("alice");
        assertThat(tx.attributes()).containsEntry("ccert_fingerprint", "AA:BB");
    }

    @Test
    void missingAndBrokenValuesBecomeEmptyNotErrors() {
        Transaction tx = new PolicyTransactions("").from(Map.of("request", "smtpd_access_policy",
                "protocol_state", "END-OF-MESSAGE", "size", "lots", "client_address", "not-an-ip", "sender", ""));
        assertThat(tx.stage()).isEqualTo(Stage.END_OF_MESSAGE);
        assertThat(tx.envelope().size()).isZero();
        assertThat(tx.connection().ip()).isNull();
        assertThat(tx.sender().isNull()).isTrue();
        assertThat(tx.envelope().recipients()).isEmpty();
    }
}
