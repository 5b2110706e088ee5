package org.decency.core;

import java.util.Map;
import org.decency.message.MailMessage;

/**
 * Everything a front door learnt about one decision: the stage, the connection
 * facts, the envelope and, at the MESSAGE stage, the mail itself. {@code attributes}
 * keeps the raw protocol attributes for checks that need something unusual.
 * Immutable; the per-run mutable state (scores, flags, edits of the mail) lives in
 * {@link Evaluation}.
 *
 * @param message the whole mail, or null before DATA
 */
public record Transaction(String id, Stage stage, Connection connection, Envelope envelope,
                          Map<String, String> attributes, MailMessage message) {

    public Transaction {
        attributes = attributes == null ? Map.of() : attributes;
    }

    /** A transaction before the mail's content is known (every stage but MESSAGE). */
    public Transaction(String id, Stage stage, Connection connection, Envelope envelope, Map<String, String> attributes) {
        this(id, stage, connection, envelope, attributes, null);
    }

    /** True when the whole mail is at hand. */
    public boolean hasMessage() {
        return message != null;
    }

    public static Transaction of(Stage stage, Connection connection, Envelope envelope) {
        return new Transaction(Identifiers.next(), stage, connection, envelope, Map.of());
    }

    public MailAddress sender() {
        return envelope.sender();
    }

    public MailAddress recipient() {
        return envelope.recipient();
    }

    public String clientAddress() {
        return connection.clientAddress();
    }
}
