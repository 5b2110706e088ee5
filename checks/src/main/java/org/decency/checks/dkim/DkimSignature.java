package org.decency.checks.dkim;

import java.util.List;

/**
 * One parsed DKIM-Signature field (RFC 6376 3.5), checked for syntax; see {@link SignatureParser}.
 *
 * @param field         the field as it stands in the mail (its b= value is removed for hashing)
 * @param domain        d=, lower-cased
 * @param signedHeaders h=, the names as written, in order
 * @param bodyLength    l=, or -1 for the whole body
 * @param timestamp     t=, or -1
 * @param expiry        x=, or -1
 * @param identity      i=, decoded; {@code @domain} when absent
 */
public record DkimSignature(RawField field, DkimAlgorithm algorithm, Canonicalization headerCanon,
                            Canonicalization bodyCanon, String domain, String selector, List<String> signedHeaders,
                            byte[] bodyHash, byte[] signature, long bodyLength, long timestamp, long expiry,
                            String identity, String bPrefix) {

    public DkimSignature {
        signedHeaders = List.copyOf(signedHeaders);
    }

    /** The DNS name of the key: {@code selector._domainkey.domain}. */
    public String keyName() {
        return selector + "._domainkey." + domain;
    }

    /** The domain part of i=. */
    public String identityDomain() {
        return identity.substring(identity.lastIndexOf('@') + 1);
    }

    /** The local part of i= (empty when i= has none). */
    public String identityLocalPart() {
        return identity.substring(0, identity.lastIndexOf('@'));
    }

    public SignatureResult result(DkimResult result, String why, boolean testing) {
        return new SignatureResult(result, why, domain, selector, algorithm.word(), bPrefix, identity, testing);
    }
}
