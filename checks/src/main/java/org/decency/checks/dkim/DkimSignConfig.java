package org.decency.checks.dkim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;

/**
 * The settings of a DKIMSign module. Example:
 *
 * <pre>{@code
 * - DKIMSign:
 *     sign_key: /etc/decency/dkim/default.key     # the key for every domain without its own
 *     sign_key_dir: /etc/decency/dkim              # <dir>/<domain>.key: a domain's own key (wins)
 *     selector: decency                            # s=
 *     selectors: {example.org: mail2026}           # a domain's own selector
 *     sign_algo: rsa-sha256                        # or ed25519-sha256 (the key must be of that kind)
 *     sign_method: relaxed/relaxed                 # header/body; "relaxed" alone is relaxed/simple, as c= reads
 *     additional_headers: [List-Id]                # signed besides the default list
 *     sign_by: envelope                            # whose domain signs: envelope (MAIL FROM) or from (the From: field)
 * }</pre>
 * At least one of sign_key and sign_key_dir is needed; relative paths are resolved
 * against the config file's directory.
 */
public record DkimSignConfig(Path signKey, Path signKeyDir, String selector, Map<String, String> selectors,
                             DkimAlgorithm algorithm, Canonicalization headerCanon, Canonicalization bodyCanon,
                             List<String> headers, boolean byFromHeader) {

    public static final List<String> DEFAULT_HEADERS = List.of("From", "To", "Cc", "Subject", "Date", "Message-ID",
            "Reply-To", "MIME-Version", "Content-Type", "Content-Transfer-Encoding");
    public static final String DEFAULT_SELECTOR = "decency";
    /** What the signer does by default: relaxed/relaxed, the default fields. */
    public static final DkimSigner.Settings DEFAULT_SETTINGS =
            new DkimSigner.Settings(Canonicalization.RELAXED, Canonicalization.RELAXED, DEFAULT_HEADERS);

    public DkimSignConfig {
        selectors = Map.copyOf(selectors);
        headers = List.copyOf(headers);
    }

    public static DkimSignConfig from(ConfigNode n, CheckEnvironment env) {
        Path key = n.child("sign_key").map(k -> existing(k, false)).orElse(null);
        Path dir = n.child("sign_key_dir").map(k -> existing(k, true)).orElse(null);
        if (key == null && dir == null) throw n.error("DKIMSign needs sign_key (one key) or sign_key_dir (a key per domain), or both");
        String selector = n.child("selector").map(DkimSignConfig::selector).orElse(DEFAULT_SELECTOR);
        Map<String, String> selectors = new LinkedHashMap<>();
        n.child("selectors").ifPresent(s -> s.mapping().forEach((domain, sel) -> selectors.put(domain.toLowerCase(Locale.ROOT), selector(sel))));
        DkimAlgorithm algorithm = algorithm(n, env);
        Canonicalization[] c = n.child("sign_method").map(m -> Canonicalization.pair(m.text().strip())
                        .orElseThrow(() -> m.error("expected relaxed or simple, or header/body such as relaxed/relaxed, got \"" + m.text() + "\"")))
                .orElse(new Canonicalization[] {Canonicalization.RELAXED, Canonicalization.RELAXED});
        List<String> headers = new ArrayList<>(DEFAULT_HEADERS);
        for (ConfigNode h : n.child("additional_headers").map(a -> a.isSequence() ? a.asList() : List.of(a)).orElse(List.of())) {
            for (String name : h.text().split(":")) {
                String s = name.strip();
                if (s.isEmpty()) continue;
                if (!s.matches("[!-9;-~]+")) throw h.error("not a header field name: \"" + s + "\"");
                if (headers.stream().noneMatch(x -> x.equalsIgnoreCase(s))) headers.add(s);
            }
        }
        String by = n.string("sign_by", "envelope").strip().toLowerCase(Locale.ROOT);
        if (!by.equals("envelope") && !by.equals("from")) throw n.required("sign_by").error("expected envelope or from, got \"" + by + "\"");
        DkimSignConfig config = new DkimSignConfig(key, dir, selector, selectors, algorithm, c[0], c[1], headers, by.equals("from"));
        if (key != null) {
            try {
                config.keys().load(key);
            } catch (java.io.IOException | DkimSyntaxException e) {
                throw n.required("sign_key").error("cannot use the key: " + e.getMessage());
            }
        }
        return config;
    }

    /** The key finder these settings describe. */
    public SigningKeys keys() {
        return new SigningKeys(signKeyDir, signKey, selector, selectors, algorithm);
    }

    public DkimSigner.Settings signerSettings() {
        return new DkimSigner.Settings(headerCanon, bodyCanon, headers);
    }

    private static DkimAlgorithm algorithm(ConfigNode n, CheckEnvironment env) {
        ConfigNode a = n.child("sign_algo").orElse(null);
        if (a == null) return DkimAlgorithm.RSA_SHA256;
        DkimAlgorithm algo = DkimAlgorithm.of(a.text()).orElseThrow(() -> a.error("expected rsa-sha256 or ed25519-sha256, got \"" + a.text() + "\""));
        if (algo == DkimAlgorithm.RSA_SHA1) {
            env.warn(a, "rsa-sha1 must no longer be used (RFC 8301); signing with rsa-sha256");
            return DkimAlgorithm.RSA_SHA256;
        }
        return algo;
    }

    private static String selector(ConfigNode s) {
        String sel = s.text().strip().toLowerCase(Locale.ROOT);
        if (!SignatureParser.isName(sel)) throw s.error("not a selector (a DNS label or labels): \"" + s.text() + "\"");
        return sel;
    }

    private static Path existing(ConfigNode k, boolean directory) {
        Path p = k.dir().resolve(k.text().strip());
        if (directory ? !Files.isDirectory(p) : !Files.isRegularFile(p)) {
            throw k.error((directory ? "no such directory: " : "no such file: ") + p);
        }
        return p;
    }
}
