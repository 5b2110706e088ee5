package org.decency.checks.basic;

import java.util.Locale;

/** The plausibility rules of the Basic check; each has a config key and a score code suffix. */
public enum BasicRule {
    HELO_MISSING("weight_helo_missing"),
    HELO_BARE_IP("weight_helo_bare_ip"),
    HELO_LOCALHOST("weight_helo_localhost"),
    HELO_IS_US("weight_helo_is_us"),
    HELO_LITERAL_MISMATCH("weight_helo_literal_mismatch"),
    HELO_INVALID("weight_invalid_helo_hostname"),
    HELO_NOT_FQDN("weight_non_fqdn_helo_hostname"),
    SENDER_NOT_FQDN("weight_non_fqdn_sender"),
    RECIPIENT_NOT_FQDN("weight_non_fqdn_recipient");

    private final String key;

    BasicRule(String key) {
        this.key = key;
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
