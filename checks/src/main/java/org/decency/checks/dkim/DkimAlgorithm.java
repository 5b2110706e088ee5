package org.decency.checks.dkim;

import java.util.Optional;

/**
 * The signing algorithms: rsa-sha256 (RFC 6376), ed25519-sha256 (RFC 8463), and rsa-sha1,
 * which RFC 8301 says verifiers must no longer accept (it is read so that it can be refused
 * by name, or accepted where a site allows it).
 *
 * @param word     the a= value
 * @param keyType  the key record's k= value
 * @param hashName the name in a key record's h= list
 * @param digest   the JDK digest of the body hash (and of the header hash for ed25519)
 */
public enum DkimAlgorithm {
    RSA_SHA256("rsa-sha256", "rsa", "sha256", "SHA-256"),
    ED25519_SHA256("ed25519-sha256", "ed25519", "sha256", "SHA-256"),
    RSA_SHA1("rsa-sha1", "rsa", "sha1", "SHA-1");

    private final String word;
    private final String keyType;
    private final String hashName;
    private final String digest;

    DkimAlgorithm(String word, String keyType, String hashName, String digest) {
        this.word = word;
        this.keyType = keyType;
        this.hashName = hashName;
        this.digest = digest;
    }

    public String word() {
        return word;
    }

    public String keyType() {
        return keyType;
    }

    public String hashName() {
        return hashName;
    }

    public String digest() {
        return digest;
    }

    public boolean isRsa() {
        return keyType.equals("rsa");
    }

    /** The algorithm named {@code word} (case-insensitive), if known. */
    public static Optional<DkimAlgorithm> of(String word) {
        for (DkimAlgorithm a : values()) if (a.word.equalsIgnoreCase(word.strip())) return Optional.of(a);
        return Optional.empty();
    }
}
