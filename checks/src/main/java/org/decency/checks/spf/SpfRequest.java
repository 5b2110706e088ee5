package org.decency.checks.spf;

import org.decency.core.IpAddress;

/**
 * The question of one SPF check: may {@code ip} send for the identity? For MAIL FROM the
 * sender is the envelope address; for HELO it is {@code postmaster@<helo>} (RFC 7208 §2.3).
 * A sender without local part stands for {@code postmaster} (§4.3).
 */
public record SpfRequest(IpAddress ip, String localPart, String domain, String helo, SpfIdentity identity) {

    public SpfRequest {
        localPart = localPart == null || localPart.isEmpty() ? "postmaster" : localPart;
        domain = domain == null ? "" : domain;
        helo = helo == null ? "" : helo;
    }

    /** The MAIL FROM identity of {@code sender} ({@code local@domain}; without "@" it has no domain and gives none). */
    public static SpfRequest mailFrom(IpAddress ip, String sender, String helo) {
        int at = sender.lastIndexOf('@');
        if (at < 0) return new SpfRequest(ip, sender, "", helo, SpfIdentity.MAIL_FROM);
        return new SpfRequest(ip, sender.substring(0, at), sender.substring(at + 1), helo, SpfIdentity.MAIL_FROM);
    }

    /** The HELO identity. */
    public static SpfRequest helo(IpAddress ip, String helo) {
        return new SpfRequest(ip, "postmaster", helo, helo, SpfIdentity.HELO);
    }

    /** {@code <sender>} of RFC 7208: {@code local@domain}. */
    public String sender() {
        return localPart + "@" + domain;
    }

    /** The domain the check starts at, without a trailing dot. */
    public String startDomain() {
        return domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    }
}
