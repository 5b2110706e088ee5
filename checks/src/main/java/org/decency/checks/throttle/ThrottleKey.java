package org.decency.checks.throttle;

import java.util.Locale;
import org.decency.core.Transaction;

/** What a throttle limit counts by, in the seeds' order of evaluation. */
public enum ThrottleKey {
    CLIENT_ADDRESS, SENDER_DOMAIN, SASL_USERNAME, SENDER_ADDRESS, RECIPIENT_DOMAIN, RECIPIENT_ADDRESS,
    /** A named group of sender domains and addresses ({@code accounts:}) sharing one limit. */
    ACCOUNT;

    /** True for the keys that differ between the recipients of one message. */
    boolean perRecipient() {
        return this == RECIPIENT_DOMAIN || this == RECIPIENT_ADDRESS;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ThrottleKey parse(String s) {
        for (ThrottleKey k : values()) if (k.key().equals(s.toLowerCase(Locale.ROOT))) return k;
        return null;
    }

    static String names() {
        StringBuilder b = new StringBuilder();
        for (ThrottleKey k : values()) b.append(b.isEmpty() ? "" : ", ").append(k.key());
        return b.toString();
    }

    /** This key's value in the transaction, lower-cased; empty when unknown (then no limit applies). */
    String valueOf(Transaction tx, ThrottleConfig config) {
        return switch (this) {
            case CLIENT_ADDRESS -> tx.connection().ip() == null ? "" : tx.connection().ip().toString();
            case SENDER_DOMAIN -> tx.sender().domain();
            case SASL_USERNAME -> tx.connection().saslUsername().toLowerCase(Locale.ROOT);
            case SENDER_ADDRESS -> tx.sender().normalized();
            case RECIPIENT_DOMAIN -> tx.recipient().domain();
            case RECIPIENT_ADDRESS -> tx.recipient().normalized();
            case ACCOUNT -> config.accountOf(tx.sender()).toLowerCase(Locale.ROOT);
        };
    }
}
