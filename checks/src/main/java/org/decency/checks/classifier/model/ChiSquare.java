package org.decency.checks.classifier.model;

/**
 * The upper tail of the chi-square distribution with an even number of degrees of freedom,
 * as Fisher's method of combining probabilities needs it, in logarithms: with hundreds of
 * tokens the plain value underflows to 0 for most mails, and mails that all score 0 or 1
 * cannot be ranked against each other.
 */
final class ChiSquare {
    private ChiSquare() {}

    /** ln P(X >= x) for X chi-square distributed with {@code 2 * halfDf} degrees of freedom. */
    static double logUpperTail(double x, int halfDf) {
        double m = x / 2;
        if (m <= 0) return 0;
        // P = e^-m * sum_{i < halfDf} m^i / i!; summed in logs, largest term first for accuracy
        double logM = Math.log(m);
        double[] logTerms = new double[halfDf];
        double term = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < halfDf; i++) {
            if (i > 0) term += logM - Math.log(i);
            logTerms[i] = term;
            max = Math.max(max, term);
        }
        double sum = 0;
        for (double t : logTerms) sum += Math.exp(t - max);
        return Math.min(0, -m + max + Math.log(sum));
    }
}
