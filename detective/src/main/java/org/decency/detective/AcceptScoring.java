package org.decency.detective;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.decency.config.ConfigNode;
import org.decency.forward.ScoreVerifier;

/**
 * Reads {@code accept_scoring}, {@code doorman_verify_key} (0.1.x: {@code policy_verify_key})
 * and {@code accept_scoring_ttl} from detective.yml:
 *
 * <pre>{@code
 * accept_scoring: 1                    # add the Doorman's signed score to ours
 * doorman_verify_key: decency-sign.pub # PEM public key, relative to this file
 * accept_scoring_ttl: 10m              # a header older than this does not count
 * }</pre>
 *
 * {@code accept_scoring} without a key is a config error: unsigned headers would let
 * any sender write his own score. A key without {@code accept_scoring} is checked and
 * warned about.
 *
 * @param verifier null when headers do not count (the store of a shared Doorman still does)
 * @param window   how old a header may be
 */
public record AcceptScoring(ScoreVerifier verifier, Duration window) {

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);

    public static AcceptScoring off() {
        return new AcceptScoring(null, DEFAULT_WINDOW);
    }

    public boolean enabled() {
        return verifier != null;
    }

    public static AcceptScoring read(ConfigNode root, List<String> warnings) {
        boolean on = root.bool("accept_scoring", false);
        Duration window = root.duration("accept_scoring_ttl", DEFAULT_WINDOW);
        if (window.isZero() || window.isNegative()) throw root.required("accept_scoring_ttl").error("must be more than 0");
        ConfigNode keyNode = root.child("doorman_verify_key", "policy_verify_key").orElse(null);
        if (keyNode == null) {
            if (on) {
                throw root.required("accept_scoring").error("needs doorman_verify_key, the Doorman's PEM public key:"
                        + " without it any sender could write his own score");
            }
            return off();
        }
        ScoreVerifier verifier;
        try {
            verifier = ScoreVerifier.load(keyNode.dir().resolve(Path.of(keyNode.text())));
        } catch (IllegalArgumentException e) {
            throw keyNode.error(e.getMessage());
        }
        if (!on) {
            warnings.add(keyNode.file() + ":" + keyNode.line() + ": " + keyNode.path()
                    + " is set but accept_scoring is off; the Doorman's headers do not count");
            return off();
        }
        return new AcceptScoring(verifier, window);
    }
}
