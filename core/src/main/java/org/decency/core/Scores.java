package org.decency.core;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Formatting of score numbers: no trailing zeros, no exponent, at most six decimals (so a
 * weighted {@code -3 * 1.1} shows as {@code -3.3}, not as its binary approximation). No
 * threshold at all (strict and ignore spam policies) is {@code -inf}.
 */
public final class Scores {
    private Scores() {}

    public static String format(double v) {
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (Double.isNaN(v)) return "nan";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        BigDecimal d = BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.toPlainString();
    }
}
