package org.decency.checks.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Reads a private key file: PEM with an RSA key as PKCS#1 ({@code BEGIN RSA PRIVATE KEY},
 * what opendkim-genkey and older OpenSSL write) or PKCS#8 ({@code BEGIN PRIVATE KEY}), or
 * an Ed25519 key as PKCS#8; also the bare base64 Ed25519 seed that dkimpy's dknewkey writes.
 * Encrypted keys are not read.
 */
public final class PrivateKeys {
    private PrivateKeys() {}

    public static PrivateKey load(Path file) throws IOException, DkimSyntaxException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        try {
            return parse(text);
        } catch (DkimSyntaxException e) {
            throw new DkimSyntaxException(file + ": " + e.getMessage());
        }
    }

    static PrivateKey parse(String text) throws DkimSyntaxException {
        if (!text.startsWith("-----BEGIN ")) return ed25519Seed(decode(text));
        int end = text.indexOf("-----", 11);
        if (end < 0) throw new DkimSyntaxException("a broken PEM header");
        String type = text.substring(11, end);
        int bodyStart = end + 5;
        int footer = text.indexOf("-----END ", bodyStart);
        if (footer < 0) throw new DkimSyntaxException("no PEM end line");
        byte[] der = decode(text.substring(bodyStart, footer));
        return switch (type) {
            case "RSA PRIVATE KEY" -> key("RSA", Der.rsaPkcs8(der));
            case "PRIVATE KEY" -> pkcs8(der);
            case "ENCRYPTED PRIVATE KEY" -> throw new DkimSyntaxException("an encrypted key; give the key without a pass phrase");
            default -> throw new DkimSyntaxException("not a private key (" + type + ")");
        };
    }

    /** Bits of an RSA key's modulus, 0 for other keys. */
    public static int rsaBits(PrivateKey key) {
        return key instanceof RSAPrivateCrtKey rsa ? rsa.getModulus().bitLength()
                : key instanceof java.security.interfaces.RSAKey r ? r.getModulus().bitLength() : 0;
    }

    /** The algorithm a key signs with: rsa-sha256 or ed25519-sha256. */
    public static DkimAlgorithm algorithm(PrivateKey key) {
        return key.getAlgorithm().equals("RSA") ? DkimAlgorithm.RSA_SHA256 : DkimAlgorithm.ED25519_SHA256;
    }

    private static PrivateKey pkcs8(byte[] der) throws DkimSyntaxException {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            return key("Ed25519", der);
        }
    }

    private static PrivateKey ed25519Seed(byte[] seed) throws DkimSyntaxException {
        if (seed.length != 32) throw new DkimSyntaxException("neither PEM nor a 32-byte Ed25519 key");
        return key("Ed25519", Der.ed25519Pkcs8(seed));
    }

    private static PrivateKey key(String algorithm, byte[] pkcs8) throws DkimSyntaxException {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new DkimSyntaxException("not an RSA or Ed25519 private key");
        }
    }

    private static byte[] decode(String base64) throws DkimSyntaxException {
        try {
            return Base64.getMimeDecoder().decode(base64.replaceAll("[^A-Za-z0-9+/=]", ""));
        } catch (IllegalArgumentException e) {
            throw new DkimSyntaxException("broken base64");
        }
    }
}
