package org.decency.checks.dkim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.PrivateKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the key for a signing domain: {@code <sign_key_dir>/<domain>.key} when it exists,
 * else the one {@code sign_key}. The selector is the domain's entry in {@code selectors},
 * else {@code selector}. Keys are read once and again only when their file changes (its
 * modification time). A domain that is no plain domain name never names a file.
 */
public final class SigningKeys {
    private record Loaded(FileTime modified, PrivateKey key) {}

    private final Path dir;
    private final Path fallback;
    private final String selector;
    private final Map<String, String> selectors;
    private final DkimAlgorithm algorithm;
    private final Map<Path, Loaded> cache = new ConcurrentHashMap<>();

    /**
     * @param dir       the directory of per-domain keys, or null
     * @param fallback  the key for every other domain, or null
     * @param algorithm the algorithm every key must be for
     */
    public SigningKeys(Path dir, Path fallback, String selector, Map<String, String> selectors, DkimAlgorithm algorithm) {
        this.dir = dir;
        this.fallback = fallback;
        this.selector = selector;
        this.selectors = Map.copyOf(selectors);
        this.algorithm = algorithm;
    }

    /** The key for {@code domain} (lower case), if there is one. */
    public Optional<SigningKey> forDomain(String domain) throws IOException, DkimSyntaxException {
        if (!SignatureParser.isName(domain) || domain.indexOf('.') < 0) return Optional.empty();
        Path file = null;
        if (dir != null) {
            Path own = dir.resolve(domain + ".key");
            if (Files.isRegularFile(own)) file = own;
        }
        if (file == null) file = fallback;
        if (file == null) return Optional.empty();
        return Optional.of(new SigningKey(domain, selectors.getOrDefault(domain, selector), algorithm, load(file)));
    }

    /** Reads {@code file}, or takes it from the cache while it has not changed; checks it fits the algorithm. */
    PrivateKey load(Path file) throws IOException, DkimSyntaxException {
        FileTime modified = Files.getLastModifiedTime(file);
        Loaded kept = cache.get(file);
        if (kept != null && kept.modified().equals(modified)) return kept.key();
        PrivateKey key = PrivateKeys.load(file);
        if (PrivateKeys.algorithm(key).keyType().equals("rsa") != algorithm.isRsa()) {
            throw new DkimSyntaxException(file + ": a " + key.getAlgorithm() + " key does not sign " + algorithm.word());
        }
        int bits = PrivateKeys.rsaBits(key);
        if (algorithm.isRsa() && bits < 1024) throw new DkimSyntaxException(file + ": an RSA key of " + bits + " bits; RFC 8301 asks for 1024 or more");
        cache.put(file, new Loaded(modified, key));
        return key;
    }
}
