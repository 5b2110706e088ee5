package org.decency.checks.dkim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;

/** Keys made in a test, their DNS records and their files. */
final class TestKeys {
    private TestKeys() {}

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The TXT record publishing {@code key}. */
    static String record(PublicKey key) {
        if (key.getAlgorithm().equals("RSA")) return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getEncoded());
        return "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(PublicKeys.ed25519Raw(key));
    }

    static Path pkcs8(Path file, PrivateKey key) throws IOException {
        return Files.writeString(file, pem("PRIVATE KEY", key.getEncoded()));
    }

    /** The RSA key as PKCS#1 (BEGIN RSA PRIVATE KEY): the OCTET STRING inside the JDK's PKCS#8. */
    static Path pkcs1(Path file, PrivateKey key) throws IOException {
        byte[] p8 = key.getEncoded();
        // SEQUENCE(len) INTEGER 0, AlgorithmIdentifier (15 bytes), OCTET STRING(len) <pkcs1>
        int at = 2 + lengthBytes(p8, 1) + 3 + 15;
        int inner = at + 2 + lengthBytes(p8, at + 1);
        return Files.writeString(file, pem("RSA PRIVATE KEY", Arrays.copyOfRange(p8, inner, p8.length)));
    }

    private static int lengthBytes(byte[] der, int lengthAt) {
        int first = der[lengthAt] & 0xff;
        return first < 0x80 ? 0 : first & 0x7f;
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
