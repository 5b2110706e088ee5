package org.decency.checks.spf;

import java.util.Locale;

/** The results of an SPF check (RFC 7208 §2.6). */
public enum SpfResult {
    PASS, FAIL, SOFTFAIL, NEUTRAL, NONE, PERMERROR, TEMPERROR;

    /** The result as RFC 7208 writes it: {@code pass}, {@code softfail}, ... */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
