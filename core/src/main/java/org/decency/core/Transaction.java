package org.decency.core;

import java.util.Map;

/**
 * Everything a front door learnt about one decision: the stage, the connection
 * facts and the envelope. {@code attributes} keeps the raw protocol attributes for
 * checks that need something unusual. Immutable; the per-run mutable state lives in
 * {@link Evaluation}.
 */
public record Transaction(String id, Stage stage, Connection connection, Envelope envelope,
                          Map<String, String> attributes) {

    public Transaction {
        attributes = attributes == null ? Map.of() : attributes;
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
