package org.decency.checks.classifier.tokenizer;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The distinct features of one mail, each a 64-bit hash of its name ({@code subject:free},
 * {@code osb:buy 2 now}). Only the hashes are kept for classifying and learning; a set made
 * with {@link #withNames()} also keeps the readable names, for tests and explanations. A
 * feature counts once per mail, however often it occurs, as in bogofilter.
 */
public final class FeatureSet {
    private static final long EMPTY = 0;

    private long[] table = new long[1024];
    private int size;
    private boolean hasZero;
    private final Map<Long, String> names;

    private FeatureSet(boolean keepNames) {
        this.names = keepNames ? new LinkedHashMap<>() : null;
    }

    public static FeatureSet hashesOnly() {
        return new FeatureSet(false);
    }

    public static FeatureSet withNames() {
        return new FeatureSet(true);
    }

    /** Adds the feature {@code kind:text}. */
    public void add(String kind, CharSequence text) {
        add(FeatureHash.of(kind, text), kind, text);
    }

    /** Adds the feature {@code kind:text} whose hash {@code h} the caller computed already. */
    void add(long h, String kind, CharSequence text) {
        if (add(h) && names != null) names.put(h, kind + ":" + text);
    }

    boolean keepsNames() {
        return names != null;
    }

    /** Adds the orthogonal sparse bigram "{@code first} then {@code second}, {@code gap} words apart". */
    void addPair(String first, long firstHash, String second, long secondHash, int gap) {
        long h = FeatureHash.pair(firstHash, secondHash, gap);
        if (add(h) && names != null) names.put(h, "osb:" + first + " " + gap + " " + second);
    }

    private boolean add(long h) {
        if (h == EMPTY) {
            if (hasZero) return false;
            hasZero = true;
            size++;
            return true;
        }
        if (size * 2 >= table.length) grow();
        int mask = table.length - 1;
        for (int i = (int) (h ^ (h >>> 32)) & mask; ; i = (i + 1) & mask) {
            if (table[i] == h) return false;
            if (table[i] == EMPTY) {
                table[i] = h;
                size++;
                return true;
            }
        }
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        int mask = table.length - 1;
        for (long h : old) {
            if (h == EMPTY) continue;
            int i = (int) (h ^ (h >>> 32)) & mask;
            while (table[i] != EMPTY) i = (i + 1) & mask;
            table[i] = h;
        }
    }

    public int size() {
        return size;
    }

    /** The hashes, sorted (so two sets of the same mail compare equal). */
    public long[] hashes() {
        long[] out = new long[size];
        int n = 0;
        if (hasZero) out[n++] = EMPTY;
        for (long h : table) if (h != EMPTY) out[n++] = h;
        Arrays.sort(out);
        return out;
    }

    /** The readable names by hash; empty unless made {@link #withNames()}. */
    public Map<Long, String> names() {
        return names == null ? Map.of() : names;
    }

    /** True when the feature {@code kind:text} is in the set. */
    public boolean contains(String kind, CharSequence text) {
        return containsHash(FeatureHash.of(kind, text));
    }

    boolean containsHash(long h) {
        if (h == EMPTY) return hasZero;
        int mask = table.length - 1;
        for (int i = (int) (h ^ (h >>> 32)) & mask; ; i = (i + 1) & mask) {
            if (table[i] == h) return true;
            if (table[i] == EMPTY) return false;
        }
    }
}
