package org.decency.forward;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Signs instance headers for one mail with the Doorman's key: SHA256withRSA or
 * Ed25519 over {@link InstanceHeader#signedBytes}, written base64url without padding
 * (a 3072-bit RSA signature takes 512 characters, hex would take 768; Ed25519 86).
 * Thread-safe.
 */
public final class ScoreSigner {
    private final PrivateKey key;
    private final String algorithm;
    private final int signatureChars;

    /** @throws IllegalArgumentException for a key {@link SigningKeys#check} refuses */
    public ScoreSigner(PrivateKey key) {
        SigningKeys.check(key);
        this.key = key;
        this.algorithm = SigningKeys.algorithm(key);
        this.signatureChars = (SigningKeys.signatureBytes(key) * 8 + 5) / 6;
    }

    /** Reads and checks the key file ({@link SigningKeys#readPrivate}). */
    public static ScoreSigner load(Path file) {
        return new ScoreSigner(SigningKeys.readPrivate(file));
    }

    /** The header, its details shortened to fit the line with the signature, signed for {@code mail}. */
    public InstanceHeader sign(InstanceHeader header, EnvelopeBinding mail) {
        InstanceHeader h = header.fitted(signatureChars);
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(h.signedBytes(mail));
            return h.withSignature(Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + describe() + ": " + e, e);
        }
    }

    public String describe() {
        return SigningKeys.describe(key);
    }
}
