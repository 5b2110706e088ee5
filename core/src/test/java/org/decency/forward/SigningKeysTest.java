package org.decency.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files as OpenSSL and the JDK write them, and the ones Decency refuses. */
class SigningKeysTest {
    @TempDir Path dir;

    static Path resource(String name) {
        try {
            return Path.of(SigningKeysTest.class.getResource("/forward/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The header and mail of signed-text.msg, signed by OpenSSL. */
    static InstanceHeader opensslSigned(String sigHexFile) throws Exception {
        String hex = Files.readString(resource(sigHexFile)).strip();
        String sig = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(HexFormat.of().parseHex(hex));
        return InstanceHeader.of("1234abcdefghijklm", -30, 1700000000, Set.of("spf_pass"), List.of("Module: Basic; Score: -30"))
                .withSignature(sig);
    }

    static final EnvelopeBinding MAIL = EnvelopeBinding.of("192.0.2.1", "alice@example.net", "bob@example.org");

    @Test
    void theSignedTextIsByteForByteWhatOpensslSigned() throws Exception {
        assertThat(opensslSigned("openssl-ed25519.sig-hex").signedBytes(MAIL)).isEqualTo(Files.readAllBytes(resource("signed-text.msg")));
    }

    @Test
    void opensslsEd25519KeysLoadAndTheJdkVerifiesOpensslsSignature() throws Exception {
        ScoreVerifier verifier = ScoreVerifier.load(resource("openssl-ed25519.pub"));
        assertThat(verifier.describe()).isEqualTo("Ed25519");
        assertThat(verifier.verifies(opensslSigned("openssl-ed25519.sig-hex"), MAIL)).isTrue();
        ScoreSigner signer = ScoreSigner.load(resource("openssl-ed25519.key"));
        assertThat(verifier.verifies(signer.sign(ScoreSignatureTest.header(), MAIL), MAIL)).isTrue();
    }

    @Test
    void aPkcs1RsaKeyFromOpensslGenrsaLoadsAndMatchesItsPublicKey() throws Exception {
        assertThat(Files.readString(resource("openssl-rsa2048-pkcs1.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        ScoreSigner signer = ScoreSigner.load(resource("openssl-rsa2048-pkcs1.key"));
        ScoreVerifier verifier = ScoreVerifier.load(resource("openssl-rsa2048.pub"));
        assertThat(signer.describe()).isEqualTo("RSA-2048");
        assertThat(verifier.verifies(opensslSigned("openssl-rsa2048.sig-hex"), MAIL)).as("OpenSSL's SHA256withRSA").isTrue();
        assertThat(verifier.verifies(signer.sign(ScoreSignatureTest.header(), MAIL), MAIL)).isTrue();
    }

    @Test
    void pkcs8AndPkcs1FilesOfJdkKeysLoad() throws Exception {
        KeyPair rsa = ScoreSignatureTest.generate("RSA", 3072);
        Path pkcs8 = write("rsa.key", Pem.encode("PRIVATE KEY", rsa.getPrivate().getEncoded()));
        Path pkcs1 = write("rsa1.key", Pem.encode("RSA PRIVATE KEY", pkcs1((RSAPrivateCrtKey) rsa.getPrivate())));
        Path pub = write("rsa.pub", Pem.encode("PUBLIC KEY", rsa.getPublic().getEncoded()));
        assertThat(SigningKeys.readPrivate(pkcs8)).isEqualTo(rsa.getPrivate());
        assertThat(SigningKeys.readPrivate(pkcs1)).isEqualTo(rsa.getPrivate());
        assertThat(SigningKeys.readPublic(pub)).isEqualTo(rsa.getPublic());
        KeyPair ed = ScoreSignatureTest.generate("Ed25519", 0);
        PrivateKey edBack = SigningKeys.readPrivate(write("ed.key", "comment before\n" + Pem.encode("PRIVATE KEY", ed.getPrivate().getEncoded())));
        assertThat(edBack.getEncoded()).isEqualTo(ed.getPrivate().getEncoded());
    }

    @Test
    void weakForeignAndMisplacedKeysAreRefusedNamingTheFile() throws Exception {
        assertThatThrownBy(() -> SigningKeys.readPrivate(resource("openssl-rsa1024-pkcs1.key")))
                .hasMessageContaining("openssl-rsa1024-pkcs1.key holds an RSA key of 1024 bits: too weak; use at least 2048 bits");
        assertThatThrownBy(() -> SigningKeys.readPrivate(resource("openssl-ec-p256.key")))
                .hasMessageContaining("openssl-ec-p256.key holds an EC key: only RSA (2048 to 4096 bits) and Ed25519 keys are supported");
        assertThatThrownBy(() -> SigningKeys.readPrivate(resource("openssl-ed25519.pub"))).hasMessageContaining("holds a public key");
        assertThatThrownBy(() -> SigningKeys.readPublic(resource("openssl-ed25519.key"))).hasMessageContaining("holds a private key");
        assertThatThrownBy(() -> SigningKeys.readPrivate(dir.resolve("missing.key"))).hasMessageContaining("missing.key cannot be read");
        assertThatThrownBy(() -> SigningKeys.readPrivate(write("empty.key", "nothing here\n"))).hasMessageContaining("holds no PEM block");
        assertThatThrownBy(() -> SigningKeys.readPrivate(write("enc.key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n")))
                .hasMessageContaining("is encrypted");
        assertThatThrownBy(() -> SigningKeys.readPrivate(write("old-enc.key", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                + "DEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n"))).hasMessageContaining("is encrypted");
        assertThatThrownBy(() -> SigningKeys.readPrivate(write("junk.key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")))
                .hasMessageContaining("holds no key Decency can read");
        String two = Files.readString(resource("openssl-ed25519.key")).repeat(2);
        assertThatThrownBy(() -> SigningKeys.readPrivate(write("two.key", two))).hasMessageContaining("holds 2 PEM blocks");
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    /** RSAPrivateKey of RFC 8017 A.1.2, encoded here from the key's numbers (not by the code under test). */
    static byte[] pkcs1(RSAPrivateCrtKey k) {
        List<BigInteger> ints = List.of(BigInteger.ZERO, k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(),
                k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP(), k.getPrimeExponentQ(), k.getCrtCoefficient());
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (BigInteger i : ints) body.writeBytes(tlv(0x02, i.toByteArray()));
        return tlv(0x30, body.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] content) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        o.write(tag);
        int n = content.length;
        if (n < 0x80) {
            o.write(n);
        } else {
            byte[] len = BigInteger.valueOf(n).toByteArray();
            int skip = len[0] == 0 ? 1 : 0;
            o.write(0x80 | (len.length - skip));
            o.write(len, skip, len.length - skip);
        }
        o.writeBytes(content);
        return o.toByteArray();
    }
}
