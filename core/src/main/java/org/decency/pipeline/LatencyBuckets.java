package org.decency.pipeline;

/**
 * The one fixed layout of latency buckets, shared by the statistics rows (so a p99 can be
 * told from summed rows of many instances and periods) and by the Prometheus histograms.
 * Upper bounds from 10 µs to 30 s in steps of 1, 2.5, 5 per decade, then +Inf: bucket
 * {@code i} counts calls that took more than bound {@code i-1} and at most bound {@code i}
 * (Prometheus's {@code le}). Changing the layout would make old rows unreadable: add a
 * new one beside it instead.
 */
public final class LatencyBuckets {
    /** Upper bounds in seconds, without the last bucket's +Inf. */
    private static final double[] BOUNDS = {
            0.00001, 0.000025, 0.00005,
            0.0001, 0.00025, 0.0005,
            0.001, 0.0025, 0.005,
            0.01, 0.025, 0.05,
            0.1, 0.25, 0.5,
            1, 2.5, 5,
            10, 30};
    private static final long[] BOUNDS_NANOS = new long[BOUNDS.length];

    static {
        for (int i = 0; i < BOUNDS.length; i++) BOUNDS_NANOS[i] = Math.round(BOUNDS[i] * 1e9);
    }

    /** How many buckets there are (the finite bounds and the +Inf one). */
    public static final int COUNT = BOUNDS.length + 1;

    private LatencyBuckets() {}

    /** The finite upper bounds in seconds (a copy), e.g. for a Prometheus histogram. */
    public static double[] upperBoundsSeconds() {
        return BOUNDS.clone();
    }

    /** The upper bound of bucket {@code i} in seconds; +Inf for the last. */
    public static double upperBound(int i) {
        return i < BOUNDS.length ? BOUNDS[i] : Double.POSITIVE_INFINITY;
    }

    /** The bucket a call of {@code nanos} falls into. */
    public static int index(long nanos) {
        int lo = 0, hi = BOUNDS_NANOS.length; // first bound >= nanos, or BOUNDS.length (+Inf)
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (BOUNDS_NANOS[mid] < nanos) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /**
     * The {@code q}-quantile (0..1) in seconds of calls counted in {@code counts} (one per
     * bucket; a shorter array counts 0 for the rest), as Prometheus's histogram_quantile
     * estimates it: linear within the bucket the rank falls in. NaN without calls; the last
     * finite bound (30 s) when the rank falls in the +Inf bucket ("more than that").
     */
    public static double quantile(long[] counts, double q) {
        long total = 0;
        for (long c : counts) total += c;
        if (total == 0) return Double.NaN;
        double rank = q * total;
        long below = 0;
        for (int i = 0; i < counts.length; i++) {
            long c = counts[i];
            if (c > 0 && below + c >= rank) {
                if (i >= BOUNDS.length) return BOUNDS[BOUNDS.length - 1];
                double lower = i == 0 ? 0 : BOUNDS[i - 1];
                return lower + (BOUNDS[i] - lower) * Math.max(0, rank - below) / c;
            }
            below += c;
        }
        return BOUNDS[BOUNDS.length - 1];
    }

    /** True when the {@code q}-quantile lies beyond the last finite bound (above 30 s). */
    public static boolean beyondLastBound(long[] counts, double q) {
        long total = 0;
        for (long c : counts) total += c;
        if (total == 0 || counts.length < COUNT) return false;
        return total - counts[COUNT - 1] < q * total;
    }
}
