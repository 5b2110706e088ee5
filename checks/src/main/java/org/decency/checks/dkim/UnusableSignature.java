package org.decency.checks.dkim;

/**
 * A DKIM-Signature that cannot be verified: a syntax error (permerror) or something RFC
 * 6376 says to ignore (none). Carries its result, ready for the report.
 */
public final class UnusableSignature extends Exception {
    private final transient SignatureResult result;

    UnusableSignature(SignatureResult result) {
        super(result.why(), null, false, false);
        this.result = result;
    }

    public SignatureResult result() {
        return result;
    }
}
