package org.decency.checks.spf;

/** Which identity is checked (RFC 7208 §2.3, §2.4), with the name used in Received-SPF. */
public enum SpfIdentity {
    MAIL_FROM("mailfrom", "mfrom", "MAIL FROM"),
    HELO("helo", "helo", "HELO");

    private final String key;
    private final String scope;
    private final String command;

    SpfIdentity(String key, String scope, String command) {
        this.key = key;
        this.scope = scope;
        this.command = command;
    }

    /** {@code mfrom} or {@code helo}, as open-spf.org's Why page names the scope. */
    public String scope() {
        return scope;
    }

    /** {@code mailfrom} or {@code helo}, as in {@code identity=} of Received-SPF. */
    public String key() {
        return key;
    }

    /** {@code MAIL FROM} or {@code HELO}, for texts to the sender. */
    public String command() {
        return command;
    }
}
