package org.decency.checks.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body hashes several signatures need, computed in one pass over the body: one
 * canonicalizer and digest for each distinct (canonicalization, hash, l=).
 */
final class BodyHashes {
    private record Kind(Canonicalization canon, String digest, long limit) {}

    private record Hasher(BodyCanonicalizer canonicalizer, DigestSink sink) {}

    private final Map<Kind, Hasher> hashers = new LinkedHashMap<>();
    private final Map<Kind, byte[]> done = new LinkedHashMap<>();

    /** Asks for the body hash a signature needs. */
    void want(Canonicalization canon, DkimAlgorithm a, long limit) {
        hashers.computeIfAbsent(new Kind(canon, a.digest(), limit), k -> {
            DigestSink sink = new DigestSink(k.digest(), k.limit());
            return new Hasher(new BodyCanonicalizer(k.canon(), sink), sink);
        });
    }

    /** Reads the rest of {@code body} once, into every wanted hash. */
    void read(InputStream body) throws IOException {
        if (hashers.isEmpty()) return;
        byte[] buffer = new byte[65536];
        int n;
        while ((n = body.read(buffer)) > 0) {
            for (Hasher h : hashers.values()) h.canonicalizer().write(buffer, 0, n);
        }
        for (Map.Entry<Kind, Hasher> e : hashers.entrySet()) {
            e.getValue().canonicalizer().finish();
            done.put(e.getKey(), e.getValue().sink().hash());
        }
    }

    byte[] hash(Canonicalization canon, DkimAlgorithm a, long limit) {
        return done.get(new Kind(canon, a.digest(), limit));
    }

    /** Bytes of canonical body, for comparing with l=. */
    long length(Canonicalization canon, DkimAlgorithm a, long limit) {
        return hashers.get(new Kind(canon, a.digest(), limit)).sink().offered();
    }
}
