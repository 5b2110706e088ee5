package org.decency.store;

/**
 * One statistics increment. {@code table} is {@code performance} (calls, score sum and
 * runtime per module) or {@code response} (calls per module and answer); {@code period}
 * is hour, day, week, month or year, {@code start} the period's first epoch second.
 */
public record StatsRow(String server, String table, String module, String status, String period, long start,
                       long calls, double score, double runtimeSeconds) {
}
