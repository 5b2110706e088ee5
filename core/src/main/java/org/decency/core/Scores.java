package org.decency.core;

import java.math.BigDecimal;

/** Formatting of score numbers: no trailing zeros, no exponent. */
public final class Scores {
    private Scores() {}

    public static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
