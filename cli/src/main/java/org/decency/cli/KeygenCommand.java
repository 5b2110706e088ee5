package org.decency.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.decency.forward.Pem;
import org.decency.forward.SigningKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code decency keygen [--type ed25519|rsa] [--bits 3072] --out DIR}: makes the key pair
 * of signed score forwarding with the JDK: {@code decency-sign.key} (PKCS#8 PEM, mode
 * 0600) for the Doorman's {@code forward_sign_key}, {@code decency-sign.pub} (X.509
 * SubjectPublicKeyInfo PEM) for the Detective's {@code doorman_verify_key}. Never
 * overwrites a key unless told to.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Make the key pair with which the Doorman signs its scores for the Detective.")
final class KeygenCommand implements Callable<Integer> {
    static final String PRIVATE_FILE = "decency-sign.key";
    static final String PUBLIC_FILE = "decency-sign.pub";

    @Option(names = "--type", defaultValue = "ed25519", description = "ed25519 (default: small, fast signatures) or rsa.")
    String type;

    @Option(names = "--bits", description = "RSA key size, " + SigningKeys.MIN_RSA_BITS + " to " + SigningKeys.MAX_RSA_BITS
            + " (default: 3072).")
    Integer bits;

    @Option(names = "--out", required = true, description = "Directory for " + PRIVATE_FILE + " and " + PUBLIC_FILE + ".")
    Path out;

    @Option(names = "--force", description = "Replace existing key files.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        KeyPair pair;
        try {
            pair = generate();
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        Path key = out.resolve(PRIVATE_FILE);
        Path pub = out.resolve(PUBLIC_FILE);
        if (!force) {
            for (Path p : List.of(key, pub)) {
                if (Files.exists(p)) {
                    System.err.println("error: " + p + " exists; pass --force to replace the key pair");
                    return 2;
                }
            }
        }
        Files.createDirectories(out);
        writePrivate(key, Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(pub, Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
        System.out.println("Wrote " + SigningKeys.describe(pair.getPrivate()) + " key pair:");
        System.out.println("  " + key.toAbsolutePath() + "  (private: the Doorman only, mode 0600)");
        System.out.println("  " + pub.toAbsolutePath() + "  (public: the Detective)");
        System.out.println();
        System.out.println("doorman.yml:");
        System.out.println("  forward_scoring: 1");
        System.out.println("  forward_sign_key: " + key.toAbsolutePath());
        System.out.println("detective.yml:");
        System.out.println("  accept_scoring: 1");
        System.out.println("  doorman_verify_key: " + pub.toAbsolutePath());
        return 0;
    }

    private KeyPair generate() {
        try {
            return switch (type.toLowerCase(Locale.ROOT)) {
                case "ed25519" -> {
                    if (bits != null) throw new IllegalArgumentException("--bits is for RSA keys; Ed25519 keys have one size");
                    yield KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                }
                case "rsa" -> {
                    int n = bits == null ? 3072 : bits;
                    if (n < SigningKeys.MIN_RSA_BITS || n > SigningKeys.MAX_RSA_BITS) {
                        throw new IllegalArgumentException("--bits must be " + SigningKeys.MIN_RSA_BITS + " to " + SigningKeys.MAX_RSA_BITS + ", got " + n);
                    }
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(n);
                    yield g.generateKeyPair();
                }
                default -> throw new IllegalArgumentException("--type must be ed25519 or rsa, got \"" + type + "\"");
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make a " + type + " key: " + e, e);
        }
    }

    /** Written so that no other user can read it at any moment (created 0600, not chmod-ed later). */
    private static void writePrivate(Path file, String pem) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        FileAttribute<?>[] attrs = posix(file)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        try (var ch = Files.newByteChannel(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs);
             OutputStream o = Channels.newOutputStream(ch)) {
            o.write(pem.getBytes(StandardCharsets.US_ASCII));
        } catch (FileAlreadyExistsException e) {
            throw new IOException(tmp + " exists; remove it", e);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean posix(Path file) {
        return file.toAbsolutePath().getParent().getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
