package org.decency.forward;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.KeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;

/**
 * Reads the key files of score forwarding and keeps out weak keys. A signing key is
 * PEM, PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA or Ed25519) or PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}, what {@code openssl genrsa} wrote); a verifying key is
 * PEM X.509 SubjectPublicKeyInfo ({@code BEGIN PUBLIC KEY}). RSA keys need 2048 to 4096
 * bits: shorter ones are breakable, longer signatures do not fit the header line.
 * Every problem is an {@link IllegalArgumentException} naming the file.
 */
public final class SigningKeys {
    public static final int MIN_RSA_BITS = 2048;
    public static final int MAX_RSA_BITS = 4096;
    /** Tried in order; the last ones only to name a key we refuse. */
    private static final List<String> ALGORITHMS = List.of("RSA", "Ed25519", "EC", "Ed448");
    /** DER of the AlgorithmIdentifier rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7,
            0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private SigningKeys() {}

    public static PrivateKey readPrivate(Path file) {
        Pem.Block b = onlyBlock(file);
        byte[] pkcs8 = switch (b.type()) {
            case "PRIVATE KEY" -> b.der();
            case "RSA PRIVATE KEY" -> pkcs1ToPkcs8(b.der());
            case "PUBLIC KEY", "RSA PUBLIC KEY" -> throw problem(file, "holds a public key; the Doorman signs with the private key");
            case "ENCRYPTED PRIVATE KEY" -> throw problem(file, "is encrypted; give the key unencrypted, readable by Decency's user only"
                    + " (openssl pkey -in KEY -out PLAIN)");
            default -> throw problem(file, "holds a " + b.type() + "; expected PRIVATE KEY (PKCS#8) or RSA PRIVATE KEY (PKCS#1)");
        };
        PrivateKey k = decode(file, new PKCS8EncodedKeySpec(pkcs8), (kf, spec) -> kf.generatePrivate(spec));
        check(file, k);
        return k;
    }

    public static PublicKey readPublic(Path file) {
        Pem.Block b = onlyBlock(file);
        if (b.type().endsWith("PRIVATE KEY")) throw problem(file, "holds a private key; the Detective needs the public key only (decency-sign.pub)");
        if (!b.type().equals("PUBLIC KEY")) throw problem(file, "holds a " + b.type() + "; expected PUBLIC KEY (X.509 SubjectPublicKeyInfo)");
        PublicKey k = decode(file, new X509EncodedKeySpec(b.der()), (kf, spec) -> kf.generatePublic(spec));
        check(file, k);
        return k;
    }

    /** The signature algorithm for a key we accept: {@code SHA256withRSA} or {@code Ed25519}. */
    public static String algorithm(Key k) {
        return k instanceof RSAKey ? "SHA256withRSA" : "Ed25519";
    }

    /** {@code RSA-3072} or {@code Ed25519}, for logs. */
    public static String describe(Key k) {
        return k instanceof RSAKey r ? "RSA-" + r.getModulus().bitLength() : "Ed25519";
    }

    /** Bytes of a signature made with this key. */
    public static int signatureBytes(Key k) {
        return k instanceof RSAKey r ? (r.getModulus().bitLength() + 7) / 8 : 64;
    }

    /**
     * Refuses what is not RSA of 2048 to 4096 bits or Ed25519.
     *
     * @throws IllegalArgumentException saying why
     */
    public static void check(Key k) {
        if (k instanceof RSAKey r) {
            int bits = r.getModulus().bitLength();
            if (bits < MIN_RSA_BITS) {
                throw new IllegalArgumentException("an RSA key of " + bits + " bits: too weak; use at least " + MIN_RSA_BITS + " bits (or Ed25519)");
            }
            if (bits > MAX_RSA_BITS) {
                throw new IllegalArgumentException("an RSA key of " + bits + " bits: its signatures do not fit the header line;"
                        + " use at most " + MAX_RSA_BITS + " bits (or Ed25519)");
            }
            return;
        }
        if (k instanceof EdECKey e && e.getParams() instanceof NamedParameterSpec n && n.getName().equalsIgnoreCase("Ed25519")) return;
        String what = k instanceof EdECKey e && e.getParams() instanceof NamedParameterSpec n ? n.getName() : k.getAlgorithm();
        throw new IllegalArgumentException("an " + what + " key: only RSA (2048 to 4096 bits) and Ed25519 keys are supported");
    }

    private static void check(Path file, Key k) {
        try {
            check(k);
        } catch (IllegalArgumentException e) {
            throw problem(file, "holds " + e.getMessage());
        }
    }

    private interface Generator<K> {
        K generate(KeyFactory kf, KeySpec spec) throws GeneralSecurityException;
    }

    private static <K> K decode(Path file, KeySpec spec, Generator<K> gen) {
        for (String alg : ALGORITHMS) {
            try {
                return gen.generate(KeyFactory.getInstance(alg), spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm; try the next
            }
        }
        throw problem(file, "holds no key Decency can read; expected RSA or Ed25519");
    }

    private static Pem.Block onlyBlock(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw problem(file, "cannot be read: " + e);
        }
        List<Pem.Block> blocks;
        try {
            blocks = Pem.decode(text);
        } catch (IllegalArgumentException e) {
            throw problem(file, e.getMessage());
        }
        if (blocks.isEmpty()) throw problem(file, "holds no PEM block (-----BEGIN ...-----)");
        if (blocks.size() > 1) throw problem(file, "holds " + blocks.size() + " PEM blocks; expected one key");
        return blocks.getFirst();
    }

    /** Wraps a PKCS#1 RSAPrivateKey into PKCS#8: SEQUENCE { INTEGER 0, rsaEncryption, OCTET STRING { key } }. */
    static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.write(0x04);
        body.writeBytes(derLength(pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.writeBytes(derLength(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] derLength(int n) {
        if (n < 0x80) return new byte[] {(byte) n};
        if (n < 0x100) return new byte[] {(byte) 0x81, (byte) n};
        if (n < 0x10000) return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }

    private static IllegalArgumentException problem(Path file, String what) {
        return new IllegalArgumentException(file + " " + what);
    }
}
