package org.decency.checks.spf;

/** The qualifier in front of a mechanism and the result it gives when the mechanism matches. */
enum Qualifier {
    PASS('+', SpfResult.PASS),
    FAIL('-', SpfResult.FAIL),
    SOFTFAIL('~', SpfResult.SOFTFAIL),
    NEUTRAL('?', SpfResult.NEUTRAL);

    private final char symbol;
    private final SpfResult result;

    Qualifier(char symbol, SpfResult result) {
        this.symbol = symbol;
        this.result = result;
    }

    /** The qualifier written as {@code c}, or null when {@code c} is none. */
    static Qualifier of(char c) {
        for (Qualifier q : values()) if (q.symbol == c) return q;
        return null;
    }

    SpfResult result() {
        return result;
    }
}
