package org.decency.checks.dkim;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;

/**
 * The key of a p= tag: RSA as SubjectPublicKeyInfo (RFC 6376), or a bare PKCS#1
 * RSAPublicKey as some domains publish it; Ed25519 as the raw 32 bytes of RFC 8463,
 * which become a SubjectPublicKeyInfo for the JDK by a fixed prefix.
 */
public final class PublicKeys {
    private static final byte[] ED25519_SPKI_PREFIX = Der.hex("302a300506032b6570032100");

    private PublicKeys() {}

    public static PublicKey rsa(byte[] der) throws DkimSyntaxException {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            try {
                return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Der.rsaSpki(der)));
            } catch (GeneralSecurityException | IllegalArgumentException e2) {
                throw new DkimSyntaxException("key p= is no RSA public key");
            }
        }
    }

    public static PublicKey ed25519(byte[] raw) throws DkimSyntaxException {
        if (raw.length != 32) throw new DkimSyntaxException("ed25519 key p= has " + raw.length + " bytes, not 32 (RFC 8463)");
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Der.concat(ED25519_SPKI_PREFIX, raw)));
        } catch (GeneralSecurityException e) {
            throw new DkimSyntaxException("key p= is no ed25519 public key");
        }
    }

    /** The raw 32 bytes of an Ed25519 public key, as p= carries them. */
    public static byte[] ed25519Raw(PublicKey key) {
        byte[] spki = key.getEncoded();
        return java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }
}
