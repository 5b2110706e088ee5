package org.decency.checks.classifier.model;

/**
 * Gary Robinson's token probabilities combined with Fisher's chi-square method, as
 * bogofilter and SpamAssassin's Bayes do. Each token's spam probability is {@code
 * p = (b/nspam) / (b/nspam + g/nham)}, pulled towards {@code x} by the strength {@code s}
 * when it was seen in few lessons: {@code f = (s*x + n*p) / (s + n)}. Tokens whose {@code f}
 * is within {@code minDev} of 0.5 say nothing and are left out; of the rest at most {@code
 * maxTokens}, the most telling, count. Then {@code S = 1 - Q(-2 Σ ln(1-f), 2N)}, {@code H = 1
 * - Q(-2 Σ ln f, 2N)} and the spam probability is {@code (1 + S - H) / 2}.
 *
 * @param s         Robinson's strength of the prior (bogofilter's robs)
 * @param x         the prior probability of a token seen in no lesson (robx)
 * @param minDev    the distance from 0.5 below which a token is ignored (min_dev)
 * @param maxTokens the most telling tokens that count (0: all)
 */
public record FisherCombiner(double s, double x, double minDev, int maxTokens) {

    public static FisherCombiner defaults() {
        return new FisherCombiner(0.0178, 0.52, 0.375, 0);
    }

    /** Combines the counts of a mail's tokens; {@code totals} are the model's lessons. */
    public Classification combine(long[] packedCounts, Counts totals) {
        double nSpam = Math.max(1, totals.spam());
        double nHam = Math.max(1, totals.ham());
        double[] fs = new double[packedCounts.length];
        int n = 0;
        for (long packed : packedCounts) {
            if (packed == 0) continue;
            Counts c = Counts.unpack(packed);
            long seen = c.total();
            if (seen == 0) continue;
            double bad = c.spam() / nSpam;
            double good = c.ham() / nHam;
            double p = bad / (bad + good);
            double f = (s * x + seen * p) / (s + seen);
            if (Math.abs(f - 0.5) < minDev) continue;
            fs[n++] = Math.clamp(f, 1e-6, 1 - 1e-6);
        }
        if (maxTokens > 0 && n > maxTokens) n = mostTelling(fs, n, maxTokens);
        if (n == 0) return new Classification(0.5, 0, 0);
        double sumLnF = 0;
        double sumLn1F = 0;
        for (int i = 0; i < n; i++) {
            sumLnF += Math.log(fs[i]);
            sumLn1F += Math.log1p(-fs[i]);
        }
        double logSpamTail = ChiSquare.logUpperTail(-2 * sumLn1F, n); // small for spam
        double logHamTail = ChiSquare.logUpperTail(-2 * sumLnF, n); // small for ham
        double spamminess = 1 - Math.exp(logSpamTail);
        double hamminess = 1 - Math.exp(logHamTail);
        return new Classification((1 + spamminess - hamminess) / 2, logHamTail - logSpamTail, n);
    }

    /** Keeps the {@code keep} values farthest from 0.5 at the front; returns {@code keep}. */
    private static int mostTelling(double[] fs, int n, int keep) {
        Double[] boxed = new Double[n];
        for (int i = 0; i < n; i++) boxed[i] = fs[i];
        java.util.Arrays.sort(boxed, (a, b) -> Double.compare(Math.abs(b - 0.5), Math.abs(a - 0.5)));
        for (int i = 0; i < keep; i++) fs[i] = boxed[i];
        return keep;
    }
}
