package org.decency.checks.plausibility;

import java.util.Locale;
import java.util.Optional;

/**
 * Does a sender's local part look machine-made ({@code xzqvkt@}, {@code a7k2m9x4@})? A
 * simple heuristic, not a language model:
 *
 * <ul>
 *   <li>five or more consonants in a row, from policyd-weight's set {@code bcdfgjklmnpqrtvwxz}
 *       (without h, s and y, which join consonants in real names: "schmidt", "lynch");</li>
 *   <li>four or more vowels in a row ({@code aeiou}), as policyd-weight;</li>
 *   <li>ours: letters and digits alternating at least four times ({@code a7k2m9}); a name
 *       with a number at its end ({@code jsmith1980}) alternates once.</li>
 * </ul>
 */
final class RandomLocalPart {
    static final int CONSONANT_RUN = 5;
    static final int VOWEL_RUN = 4;
    static final int ALTERNATIONS = 4;

    private static final String CONSONANTS = "bcdfgjklmnpqrtvwxz";
    private static final String VOWELS = "aeiou";

    private RandomLocalPart() {}

    /** Why {@code localPart} looks random; empty when it does not. */
    static Optional<String> reason(String localPart) {
        String s = localPart.toLowerCase(Locale.ROOT);
        if (longestRun(s, CONSONANTS) >= CONSONANT_RUN) return Optional.of(CONSONANT_RUN + " or more consonants in a row");
        if (longestRun(s, VOWELS) >= VOWEL_RUN) return Optional.of(VOWEL_RUN + " or more vowels in a row");
        if (alternations(s) >= ALTERNATIONS) return Optional.of("letters and digits alternate " + alternations(s) + " times");
        return Optional.empty();
    }

    private static int longestRun(String s, String set) {
        int best = 0, run = 0;
        for (int i = 0; i < s.length(); i++) {
            run = set.indexOf(s.charAt(i)) >= 0 ? run + 1 : 0;
            best = Math.max(best, run);
        }
        return best;
    }

    /** How often a letter is directly followed by a digit or a digit by a letter. */
    private static int alternations(String s) {
        int n = 0;
        for (int i = 1; i < s.length(); i++) {
            char a = s.charAt(i - 1), b = s.charAt(i);
            if ((isLetter(a) && isDigit(b)) || (isDigit(a) && isLetter(b))) n++;
        }
        return n;
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
