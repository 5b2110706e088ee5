package org.decency.checks.basic;

import java.util.Locale;

/**
 * The plausibility rules of the Basic check; each has a config key and a score code
 * suffix. The last five ask DNS (Postfix's {@code reject_unknown_*} restrictions).
 */
public enum BasicRule {
    HELO_MISSING("weight_helo_missing"),
    HELO_BARE_IP("weight_helo_bare_ip"),
    HELO_LOCALHOST("weight_helo_localhost"),
    HELO_IS_US("weight_helo_is_us"),
    HELO_LITERAL_MISMATCH("weight_helo_literal_mismatch"),
    HELO_INVALID("weight_invalid_helo_hostname"),
    HELO_NOT_FQDN("weight_non_fqdn_helo_hostname"),
    SENDER_NOT_FQDN("weight_non_fqdn_sender"),
    RECIPIENT_NOT_FQDN("weight_non_fqdn_recipient"),
    HELO_UNKNOWN("weight_unknown_helo_hostname", true),
    SENDER_DOMAIN_UNKNOWN("weight_unknown_sender_domain", true),
    RECIPIENT_DOMAIN_UNKNOWN("weight_unknown_recipient_domain", true),
    REVERSE_CLIENT_UNKNOWN("weight_unknown_reverse_client_hostname", true),
    CLIENT_UNKNOWN("weight_unknown_client_hostname", true);

    private final String key;
    private final boolean dns;

    BasicRule(String key) {
        this(key, false);
    }

    BasicRule(String key, boolean dns) {
        this.key = key;
        this.dns = dns;
    }

    /** True for the rules that need DNS lookups. */
    public boolean dns() {
        return dns;
    }

    /** The config key of this rule's weight. */
    public String key() {
        return key;
    }

    /** The score code under a module name: {@code BASIC_HELO_NOT_FQDN} for module {@code Basic}. */
    String code(String moduleName) {
        return moduleName.toUpperCase(Locale.ROOT) + "_" + name();
    }
}
