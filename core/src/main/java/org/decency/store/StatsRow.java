package org.decency.store;

import java.util.Arrays;

/**
 * One statistics increment, or (read back) one summed row. {@code period} is hour, day,
 * week, month or year, {@code start} the period's first epoch second (UTC). The tables,
 * after the seeds' {@code stats:} names:
 * <ul>
 * <li>{@value #PERFORMANCE} ({@code module_performance}): per module, {@code calls},
 * {@code hits} (calls with a partial score other than 0), {@code finals} (calls that
 * ended the run with the module's final word), {@code rejects} (final words that refused
 * or deferred the mail), the sums of {@code score} and {@code runtimeSeconds}, and the
 * calls per latency bucket ({@code buckets}, see {@code LatencyBuckets});</li>
 * <li>{@value #RESPONSE} ({@code module_results}): per module and final answer
 * ({@code status}: DUNNO, REJECT, 450, ...), how often the module was asked in runs that
 * ended so ({@code calls});</li>
 * <li>{@value #FINAL_STATE} ({@code final_state}): per final state of the server
 * ({@code status}; {@code module} is empty), how many mails ended so ({@code calls}).</li>
 * </ul>
 *
 * @param buckets calls per latency bucket (performance only); shorter than the layout, or
 *                empty, counts 0 for the missing buckets
 */
public record StatsRow(String server, String table, String module, String status, String period, long start,
                       long calls, long hits, long finals, long rejects, double score, double runtimeSeconds,
                       long[] buckets) {

    public static final String PERFORMANCE = "performance";
    public static final String RESPONSE = "response";
    public static final String FINAL_STATE = "final_state";

    private static final long[] NONE = new long[0];

    public StatsRow {
        buckets = buckets == null ? NONE : buckets;
    }

    /** A row without hits, final words and buckets (response and final state rows, and older callers). */
    public StatsRow(String server, String table, String module, String status, String period, long start,
                    long calls, double score, double runtimeSeconds) {
        this(server, table, module, status, period, start, calls, 0, 0, 0, score, runtimeSeconds, NONE);
    }

    /** Calls in latency bucket {@code i} (0 when not counted). */
    public long bucket(int i) {
        return i < buckets.length ? buckets[i] : 0;
    }

    /** What identifies the row: server, table, module, status, period and start. */
    public String key() {
        return server + "\t" + table + "\t" + module + "\t" + status + "\t" + period + "\t" + start;
    }

    /** This row and {@code o} (same key) summed. */
    public StatsRow plus(StatsRow o) {
        long[] b = new long[Math.max(buckets.length, o.buckets.length)];
        for (int i = 0; i < b.length; i++) b[i] = bucket(i) + o.bucket(i);
        return new StatsRow(server, table, module, status, period, start, calls + o.calls, hits + o.hits,
                finals + o.finals, rejects + o.rejects, score + o.score, runtimeSeconds + o.runtimeSeconds, b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StatsRow r && key().equals(r.key()) && calls == r.calls && hits == r.hits && finals == r.finals
                && rejects == r.rejects && Double.compare(score, r.score) == 0
                && Double.compare(runtimeSeconds, r.runtimeSeconds) == 0 && sameBuckets(r);
    }

    private boolean sameBuckets(StatsRow r) {
        for (int i = 0; i < Math.max(buckets.length, r.buckets.length); i++) if (bucket(i) != r.bucket(i)) return false;
        return true;
    }

    @Override
    public int hashCode() {
        return key().hashCode() * 31 + Long.hashCode(calls);
    }

    @Override
    public String toString() {
        return "StatsRow[" + key().replace('\t', ' ') + " calls=" + calls + " hits=" + hits + " finals=" + finals
                + " rejects=" + rejects + " score=" + score + " runtime=" + runtimeSeconds + " buckets=" + Arrays.toString(buckets) + "]";
    }
}
