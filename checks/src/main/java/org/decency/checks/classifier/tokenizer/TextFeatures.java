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
    private final int window;
    private final long[] recent;
    private final String[] recentNames;
    private int seen;
    private final StringBuilder word = new StringBuilder(32);

    /**
     * @param kind   the features' prefix ({@code body}, {@code subject})
     * @param window 1 for single words only; 5: also pairs up to 4 words apart
     */
    public TextFeatures(FeatureSet out, String kind, int window) {
        this.out = out;
        this.kind = kind;
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
            if (Character.isIdeographic(c)) {
                word.setLength(0);
                word.append(c);
                emit();
                i++;
                continue;
            }
            if (!Character.isLetterOrDigit(c) && c != '$') {
                i++;
                continue;
            }
            word.setLength(0);
            int start = i;
            while (i < n) {
                char d = text.charAt(i);
                if (Character.isLetterOrDigit(d) && !Character.isIdeographic(d)) {
                    word.append(Character.toLowerCase(d));
                } else if ((d == '\'' || d == '-' || d == '.' || d == '_') && i + 1 < n && Character.isLetterOrDigit(text.charAt(i + 1))
                        && !word.isEmpty()) {
                    word.append(d);
                } else if (d == '$' && i == start) {
                    word.append(d);
                } else {
                    break;
                }
                i++;
            }
            if (i < n && text.charAt(i) == '!') word.append('!');
            if (i == start) i++;
            if (word.length() >= MIN_LENGTH && word.length() <= MAX_LENGTH) emit();
        }
        return this;
    }

    private void emit() {
        long h = FeatureHash.of(kind, word);
        String name = recentNames == null ? null : word.toString();
        out.add(h, kind, word);
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
