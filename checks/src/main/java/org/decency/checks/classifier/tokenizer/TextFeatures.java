package org.decency.checks.classifier.tokenizer;

/**
 * Splits text into words and adds them to a {@link FeatureSet}: each word ({@code
 * body:cheap}) and, within a window of {@code window} words, each orthogonal sparse bigram
 * (the word with each of the {@code window - 1} words before it and their distance, as
 * CRM114's OSB and rspamd do), so "buy now" and "buy it now" share a feature.
 *
 * <p>A word is a run of letters and digits, with {@code ' - . _} inside it, and a leading
 * {@code $} or trailing {@code !} kept (as bogofilter's lexer does); it is lower-cased and
 * counts when it is 2 to 30 characters long. Ideographs (Chinese, Japanese) are words of one
 * character each, as such text has no spaces.
 */
public final class TextFeatures {
    static final int MIN_LENGTH = 2;
    static final int MAX_LENGTH = 30;

    private final FeatureSet out;
    private final String kind;
    private final long kindHash;
    private final int window;
    private final long[] recent;
    private final String[] recentNames;
    private int seen;
    /** The current word, lower-cased; only its length is counted beyond the longest word that counts. */
    private final char[] word = new char[MAX_LENGTH + 1];
    private int length;

    /**
     * @param kind   the features' prefix ({@code body}, {@code subject})
     * @param window 1 for single words only; 5: also pairs up to 4 words apart
     */
    public TextFeatures(FeatureSet out, String kind, int window) {
        this.out = out;
        this.kind = kind;
        this.kindHash = FeatureHash.prefix(kind);
        this.window = Math.max(1, window);
        this.recent = new long[this.window];
        this.recentNames = out.keepsNames() ? new String[this.window] : null;
    }

    /** Adds the words of {@code text}; pairs continue across calls (one part's text in pieces). */
    public TextFeatures add(CharSequence text) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c < 128) {
                if (!isAsciiAlnum(c) && c != '$') {
                    i++;
                    continue;
                }
            } else if (Character.isIdeographic(c)) {
                length = 0;
                append(c);
                emit();
                i++;
                continue;
            } else if (!Character.isLetterOrDigit(c)) {
                i++;
                continue;
            }
            length = 0;
            int start = i;
            while (i < n) {
                char d = text.charAt(i);
                if (d < 128 ? isAsciiAlnum(d) : Character.isLetterOrDigit(d) && !Character.isIdeographic(d)) {
                    append(d < 128 ? (d >= 'A' && d <= 'Z' ? (char) (d + 32) : d) : Character.toLowerCase(d));
                } else if ((d == '\'' || d == '-' || d == '.' || d == '_') && i + 1 < n && isLetterOrDigit(text.charAt(i + 1))
                        && length > 0) {
                    append(d);
                } else if (d == '$' && i == start) {
                    append(d);
                } else {
                    break;
                }
                i++;
            }
            if (i < n && text.charAt(i) == '!') append('!');
            if (i == start) i++;
            if (length >= MIN_LENGTH && length <= MAX_LENGTH) emit();
        }
        return this;
    }

    private void append(char c) {
        if (length < word.length) word[length] = c;
        length++;
    }

    private static boolean isAsciiAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isLetterOrDigit(char c) {
        return c < 128 ? isAsciiAlnum(c) : Character.isLetterOrDigit(c);
    }

    private void emit() {
        long h = FeatureHash.of(kindHash, word, length);
        String name = recentNames == null ? null : new String(word, 0, length);
        out.add(h, kind, name);
        if (window == 1) return;
        int slot = seen % window;
        for (int gap = 1; gap < window && gap <= seen; gap++) {
            int prev = Math.floorMod(seen - gap, window);
            out.addPair(recentNames == null ? null : recentNames[prev], recent[prev], name, h, gap);
        }
        recent[slot] = h;
        if (recentNames != null) recentNames[slot] = name;
        seen++;
    }
}
