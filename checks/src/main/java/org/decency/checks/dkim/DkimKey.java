package org.decency.checks.dkim;

import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A public key record (RFC 6376 3.6.1), parsed by {@link KeyRecordParser}.
 *
 * @param type        k=: {@code rsa} or {@code ed25519}
 * @param hashes      h=: the hash names allowed; empty when any is
 * @param testing     t=y: the domain is testing DKIM
 * @param strict      t=s: i= must be in d= itself, not in a subdomain
 * @param granularity g= of RFC 4871 (dropped by RFC 6376, still honoured, as Mail::DKIM does): a
 *                    pattern with at most one {@code *} the local part of i= must match; null when absent
 */
public record DkimKey(String type, PublicKey key, List<String> hashes, boolean testing, boolean strict, String granularity) {

    public DkimKey {
        hashes = List.copyOf(hashes);
    }

    public boolean allows(DkimAlgorithm a) {
        return hashes.isEmpty() || hashes.contains(a.hashName());
    }

    /** Bits of an RSA modulus; 256 for Ed25519. */
    public int bits() {
        return key instanceof RSAPublicKey rsa ? rsa.getModulus().bitLength() : 256;
    }

    /** Does the local part of i= match g=? An empty g= matches nothing, a missing one everything. */
    public boolean granted(String localPart) {
        if (granularity == null) return true;
        if (granularity.isEmpty()) return false;
        String[] parts = granularity.split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) regex.append(".*");
            regex.append(Pattern.quote(parts[i]));
        }
        return Pattern.matches(regex.toString(), localPart);
    }
}
