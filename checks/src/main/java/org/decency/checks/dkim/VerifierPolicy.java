package org.decency.checks.dkim;

import java.time.Clock;
import java.time.Duration;

/**
 * What a verifier accepts beyond the syntax, and its limits.
 *
 * @param allowSha1     accept rsa-sha1 signatures (RFC 8301 says not to: they are refused as {@link DkimResult#POLICY})
 * @param minRsaBits    the shortest RSA key accepted (RFC 8301: 1024); a shorter one gives POLICY
 * @param maxSignatures how many signatures are verified, from the top; the rest are NEUTRAL
 * @param budget        how long the key lookups of one mail may take in all
 * @param clock         the time x= (expiry) is compared with
 */
public record VerifierPolicy(boolean allowSha1, int minRsaBits, int maxSignatures, Duration budget, Clock clock) {
    public static final int DEFAULT_MIN_RSA_BITS = 1024;
    public static final int DEFAULT_MAX_SIGNATURES = 5;

    /** RFC 8301's rules: no rsa-sha1, RSA keys of 1024 bits or more. */
    public static VerifierPolicy rfc8301(Duration budget, Clock clock) {
        return new VerifierPolicy(false, DEFAULT_MIN_RSA_BITS, DEFAULT_MAX_SIGNATURES, budget, clock);
    }

    public VerifierPolicy withSha1(boolean allow, int minBits) {
        return new VerifierPolicy(allow, minBits, maxSignatures, budget, clock);
    }
}
