package org.decency.checks.dkim;

/**
 * What became of one DKIM-Signature: its result and why, and what it claimed (for the
 * Authentication-Results header and the log). Values from the mail are reduced to
 * printable text; absent ones are empty.
 *
 * @param bPrefix the first 8 characters of b= (RFC 6008 header.b)
 * @param testing the key is in testing mode (t=y): RFC 6376 says to treat the mail as unsigned
 */
public record SignatureResult(DkimResult result, String why, String domain, String selector, String algorithm,
                              String bPrefix, String identity, boolean testing) {

    public SignatureResult {
        why = why == null ? "" : why;
    }

    /** The same signature with another result. */
    public SignatureResult with(DkimResult r, String reason) {
        return new SignatureResult(r, reason, domain, selector, algorithm, bPrefix, identity, testing);
    }

    /** {@code d=example.com s=sel a=rsa-sha256 result=fail why=body hash mismatch}. */
    public String describe() {
        return "d=" + domain + " s=" + selector + " a=" + algorithm + " result=" + result.word()
                + (testing ? " (testing)" : "") + (why.isEmpty() ? "" : " why=" + why);
    }
}
