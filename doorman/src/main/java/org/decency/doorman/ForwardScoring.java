package org.decency.doorman;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import org.decency.config.ConfigNode;
import org.decency.forward.ScoreSigner;

/**
 * Reads {@code forward_scoring} and {@code forward_sign_key} from doorman.yml:
 *
 * <pre>{@code
 * forward_scoring: 1                 # sign the instance header
 * forward_sign_key: decency-sign.key # PEM private key, relative to this file (decency keygen)
 * }</pre>
 *
 * {@code forward_scoring} without a key, or a key Decency refuses (RSA under 2048 bits,
 * neither RSA nor Ed25519, unreadable), is a config error. A key without
 * {@code forward_scoring} is checked and warned about.
 */
public final class ForwardScoring {
    private ForwardScoring() {}

    /** The signer, or null when the header stays {@code unsigned}. */
    public static ScoreSigner read(ConfigNode root, List<String> warnings) {
        boolean on = root.bool("forward_scoring", false);
        ConfigNode keyNode = root.child("forward_sign_key").orElse(null);
        if (keyNode == null) {
            if (on) throw root.required("forward_scoring").error("needs forward_sign_key: a PEM private key file (make one with decency keygen)");
            return null;
        }
        Path file = keyNode.dir().resolve(keyNode.text());
        ScoreSigner signer;
        try {
            signer = ScoreSigner.load(file);
        } catch (IllegalArgumentException e) {
            throw keyNode.error(e.getMessage());
        }
        if (readableByOthers(file)) {
            warnings.add(keyNode.file() + ":" + keyNode.line() + ": forward_sign_key " + file + " is readable by other users; chmod 600 it");
        }
        if (!on) {
            warnings.add(keyNode.file() + ":" + keyNode.line() + ": forward_sign_key is set but forward_scoring is off; the header stays unsigned");
            return null;
        }
        return signer;
    }

    private static boolean readableByOthers(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return p.contains(PosixFilePermission.OTHERS_READ);
        } catch (Exception e) {
            return false; // not a POSIX file system
        }
    }
}
