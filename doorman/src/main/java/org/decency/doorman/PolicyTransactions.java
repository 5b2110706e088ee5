package org.decency.doorman;

import java.util.List;
import java.util.Map;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.Identifiers;
import org.decency.core.MailAddress;
import org.decency.core.Stage;
import org.decency.core.Transaction;

/**
 * Turns Postfix policy attributes into a {@link Transaction}. Unknown attributes are
 * kept in {@link Transaction#attributes()} and otherwise ignored (newer Postfix
 * versions add some). With a recipient delimiter, {@code user+ext@dom} is checked as
 * {@code user@dom}.
 */
final class PolicyTransactions {
    private final String recipientDelimiter;

    PolicyTransactions(String recipientDelimiter) {
        this.recipientDelimiter = recipientDelimiter;
    }

    Transaction from(Map<String, String> a) {
        Connection c = new Connection(
                a.get("client_address"), a.get("client_name"), a.get("reverse_client_name"), a.get("helo_name"),
                a.get("protocol_name"), a.get("sasl_method"), a.get("sasl_username"), a.get("sasl_sender"),
                a.get("ccert_subject"), a.get("ccert_issuer"), a.get("ccert_fingerprint"),
                a.get("encryption_protocol"), a.get("encryption_cipher"));
        String rcpt = a.getOrDefault("recipient", "");
        List<MailAddress> recipients = rcpt.isEmpty()
                ? List.of()
                : List.of(MailAddress.parse(rcpt).withoutExtension(recipientDelimiter));
        Envelope e = new Envelope(MailAddress.parse(a.get("sender")), recipients,
                number(a.get("size")), (int) number(a.get("recipient_count")),
                a.get("queue_id"), a.get("instance"));
        return new Transaction(Identifiers.next(), Stage.fromPolicyState(a.get("protocol_state")), c, e, a);
    }

    private static long number(String s) {
        if (s == null || s.isEmpty()) return 0;
        try {
            return Math.max(0, Long.parseLong(s.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
