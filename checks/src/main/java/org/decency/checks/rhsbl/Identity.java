package org.decency.checks.rhsbl;

import java.util.Locale;
import org.decency.checks.dnsbl.DomainName;
import org.decency.config.ConfigNode;
import org.decency.core.Transaction;

/** The domain names of a mail an RHSBL can be asked about. */
public enum Identity {
    /** The sender address's domain (none for bounces). */
    SENDER,
    /** The HELO/EHLO name (none for an address literal). */
    HELO,
    /** The client's verified host name (none when Postfix says {@code unknown}). */
    CLIENT;

    /** The name as a list is asked about it; null when this mail has none (or none that is a domain name of two labels or more). */
    public String domain(Transaction tx) {
        String raw = switch (this) {
            case SENDER -> tx.sender().isNull() ? "" : tx.sender().domain();
            case HELO -> tx.connection().helo();
            case CLIENT -> "unknown".equalsIgnoreCase(tx.connection().clientName()) ? "" : tx.connection().clientName();
        };
        return DomainName.plain(raw, 2);
    }

    /** {@code sender}, {@code helo}, {@code client}: the names used in {@code check:} and in details. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Identity read(ConfigNode n) {
        String t = n.text().strip().toLowerCase(Locale.ROOT);
        for (Identity i : values()) if (i.label().equals(t)) return i;
        throw n.error("expected sender, helo or client, got \"" + n.text() + "\"");
    }
}
