package org.decency.checks.dkim;

/** The result of one signature, in the words of RFC 8601 2.7.1. */
public enum DkimResult {
    /** The signature verified. */
    PASS,
    /** The signature did not verify: the body hash or the signature itself does not match. */
    FAIL,
    /** Not evaluated (a signature past the configured number of signatures). */
    NEUTRAL,
    /** Verified as far as it goes, but refused by local policy: rsa-sha1, a key too short (RFC 8301). */
    POLICY,
    /** The key could not be fetched for now (a DNS timeout or failure): may pass later. */
    TEMPERROR,
    /** Broken: a malformed signature, a missing, revoked or unusable key. */
    PERMERROR,
    /** No signature, or one that RFC 6376 says to ignore (unsupported version, algorithm, expired). */
    NONE;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
