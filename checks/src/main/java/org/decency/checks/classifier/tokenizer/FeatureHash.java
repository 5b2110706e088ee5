package org.decency.checks.classifier.tokenizer;

/**
 * 64-bit hashes of feature names: FNV-1a over the characters, finished with MurmurHash3's
 * mixer. With a few million features per model, 64 bits make a collision unlikely enough
 * to ignore (bogofilter and rspamd hash tokens the same way).
 */
public final class FeatureHash {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private FeatureHash() {}

    public static long of(String kind, CharSequence text) {
        long h = prefix(kind);
        for (int i = 0; i < text.length(); i++) h = (h ^ text.charAt(i)) * FNV_PRIME;
        return mix(h);
    }

    /** The hash state after {@code kind:}, to go on with {@link #of(long, char[], int)}. */
    static long prefix(String kind) {
        long h = FNV_OFFSET;
        for (int i = 0; i < kind.length(); i++) h = (h ^ kind.charAt(i)) * FNV_PRIME;
        return (h ^ ':') * FNV_PRIME;
    }

    /** The same as {@link #of(String, CharSequence)} for the text {@code chars[0..length)}, given the kind's {@link #prefix}. */
    static long of(long prefix, char[] chars, int length) {
        long h = prefix;
        for (int i = 0; i < length; i++) h = (h ^ chars[i]) * FNV_PRIME;
        return mix(h);
    }

    static long word(CharSequence text) {
        long h = FNV_OFFSET;
        for (int i = 0; i < text.length(); i++) h = (h ^ text.charAt(i)) * FNV_PRIME;
        return h;
    }

    static long pair(long first, long second, int gap) {
        return mix(first * 0x9E3779B97F4A7C15L + Long.rotateLeft(second, 29) + gap * 0xC2B2AE3D27D4EB4FL);
    }

    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
