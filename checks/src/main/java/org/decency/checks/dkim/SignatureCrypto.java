package org.decency.checks.dkim;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;

/**
 * Signing and verifying the header hash with the JDK: RSA over the header data with the
 * algorithm's hash (PKCS#1 v1.5), Ed25519 over the SHA-256 hash of the header data (RFC 8463 3).
 */
public final class SignatureCrypto {
    private SignatureCrypto() {}

    /** True when {@code signature} is the key's signature of {@code data}; false for any mismatch or malformed signature. */
    public static boolean verify(DkimAlgorithm a, PublicKey key, byte[] data, byte[] signature) throws GeneralSecurityException {
        Signature s = Signature.getInstance(jcaName(a));
        s.initVerify(key);
        s.update(input(a, data));
        try {
            return s.verify(signature);
        } catch (SignatureException e) {
            return false; // a signature of the wrong length or form
        }
    }

    public static byte[] sign(DkimAlgorithm a, PrivateKey key, byte[] data) throws GeneralSecurityException {
        Signature s = Signature.getInstance(jcaName(a));
        s.initSign(key);
        s.update(input(a, data));
        return s.sign();
    }

    private static byte[] input(DkimAlgorithm a, byte[] data) throws GeneralSecurityException {
        return a == DkimAlgorithm.ED25519_SHA256 ? MessageDigest.getInstance("SHA-256").digest(data) : data;
    }

    private static String jcaName(DkimAlgorithm a) {
        return switch (a) {
            case RSA_SHA256 -> "SHA256withRSA";
            case RSA_SHA1 -> "SHA1withRSA";
            case ED25519_SHA256 -> "Ed25519";
        };
    }
}
