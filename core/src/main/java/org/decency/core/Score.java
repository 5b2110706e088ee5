package org.decency.core;

/**
 * One partial score: a signed weight (negative = spam, positive = ham) under a short
 * code such as {@code CBL} or {@code BASIC_HELO_NOT_FQDN}, with a detail for the log.
 */
public record Score(String code, double delta, String detail) {
    public Score {
        if (!Double.isFinite(delta)) throw new IllegalArgumentException("score " + code + " is not a finite number: " + delta);
        detail = detail == null ? "" : detail;
    }

    public Score scaled(double factor) {
        return factor == 1.0 ? this : new Score(code, delta * factor, detail);
    }

    /** {@code CODE=-3.5} as in policyd-weight's log line. */
    public String brief() {
        return code + "=" + Scores.format(delta);
    }
}
