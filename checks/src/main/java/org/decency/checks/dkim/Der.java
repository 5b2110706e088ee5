package org.decency.checks.dkim;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/**
 * The little DER the key formats need: wrapping a PKCS#1 RSA key into the structures the
 * JDK reads (SubjectPublicKeyInfo, PKCS#8), and an Ed25519 seed into PKCS#8.
 */
final class Der {
    /** AlgorithmIdentifier rsaEncryption with NULL parameters. */
    private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
    private static final byte[] ED25519_PKCS8_PREFIX = hex("302e020100300506032b657004220420");

    private Der() {}

    static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** SubjectPublicKeyInfo around a PKCS#1 RSAPublicKey. */
    static byte[] rsaSpki(byte[] pkcs1) {
        byte[] bits = tlv(0x03, concat(new byte[] {0}, pkcs1));
        return tlv(0x30, concat(RSA_ALGORITHM, bits));
    }

    /** PKCS#8 PrivateKeyInfo around a PKCS#1 RSAPrivateKey. */
    static byte[] rsaPkcs8(byte[] pkcs1) {
        byte[] version = {0x02, 0x01, 0x00};
        return tlv(0x30, concat(concat(version, RSA_ALGORITHM), tlv(0x04, pkcs1)));
    }

    /** PKCS#8 PrivateKeyInfo of a raw 32-byte Ed25519 private key (seed). */
    static byte[] ed25519Pkcs8(byte[] seed) {
        return concat(ED25519_PKCS8_PREFIX, seed);
    }

    static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(content.length + 6);
        b.write(tag);
        int n = content.length;
        if (n < 0x80) {
            b.write(n);
        } else if (n < 0x100) {
            b.write(0x81);
            b.write(n);
        } else if (n < 0x10000) {
            b.write(0x82);
            b.write(n >> 8);
            b.write(n & 0xff);
        } else {
            b.write(0x83);
            b.write(n >> 16);
            b.write((n >> 8) & 0xff);
            b.write(n & 0xff);
        }
        b.writeBytes(content);
        return b.toByteArray();
    }
}
