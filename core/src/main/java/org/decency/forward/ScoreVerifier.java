package org.decency.forward;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/** Checks an instance header's signature with the Doorman's public key. Thread-safe. */
public final class ScoreVerifier {
    private final PublicKey key;
    private final String algorithm;
    private final int signatureBytes;

    /** @throws IllegalArgumentException for a key {@link SigningKeys#check} refuses */
    public ScoreVerifier(PublicKey key) {
        SigningKeys.check(key);
        this.key = key;
        this.algorithm = SigningKeys.algorithm(key);
        this.signatureBytes = SigningKeys.signatureBytes(key);
    }

    /** Reads and checks the key file ({@link SigningKeys#readPublic}). */
    public static ScoreVerifier load(Path file) {
        return new ScoreVerifier(SigningKeys.readPublic(file));
    }

    /** True when the header is signed and its signature covers exactly it and {@code mail}. */
    public boolean verifies(InstanceHeader header, EnvelopeBinding mail) {
        if (!header.signed()) return false;
        byte[] sig;
        try {
            sig = Base64.getUrlDecoder().decode(header.signature());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (sig.length != signatureBytes) return false;
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initVerify(key);
            s.update(header.signedBytes(mail));
            return s.verify(sig);
        } catch (java.security.SignatureException e) {
            return false; // a malformed signature
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot verify with " + describe() + ": " + e, e);
        }
    }

    public String describe() {
        return SigningKeys.describe(key);
    }
}
