package org.decency.pipeline;

import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.core.Scores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per decision, in the spirit of policyd-weight's
 * {@code weighted check: ... rate: N}: who, what was answered, and every partial score.
 */
public final class DecisionLog {
    private static final Logger log = LoggerFactory.getLogger("decency.decision");

    private DecisionLog() {}

    public static void log(String server, Transaction tx, Verdict v, String answer, long nanos) {
        if (!log.isInfoEnabled()) return;
        log.info(line(server, tx, v, answer, nanos));
    }

    public static String line(String server, Transaction tx, Verdict v, String answer, long nanos) {
        var c = tx.connection();
        StringBuilder b = new StringBuilder(256);
        b.append(server).append(" id=").append(tx.id())
                .append(" stage=").append(tx.stage())
                .append(" queue_id=").append(tx.envelope().queueId().isEmpty() ? "-" : tx.envelope().queueId())
                .append(" client=").append(c.clientName().isEmpty() ? "unknown" : c.clientName())
                .append('[').append(c.clientAddress()).append(']')
                .append(" helo=<").append(c.helo()).append('>')
                .append(" from=<").append(tx.sender().raw()).append('>')
                .append(" to=<").append(tx.recipient().raw()).append('>')
                .append(" action=").append(answer.isEmpty() ? v.action().name() : answer)
                .append(" score=").append(Scores.format(v.total()))
                .append(" threshold=").append(Scores.format(v.threshold()));
        if (!v.decidedBy().isEmpty()) b.append(" decided_by=").append(v.decidedBy());
        b.append(" checks: ").append(v.scores().isEmpty() ? "none" : v.briefScores());
        long micros = Math.max(0, nanos / 1000);
        long frac = micros % 1000;
        b.append(" time_ms=").append(micros / 1000).append('.').append(frac < 100 ? (frac < 10 ? "00" : "0") : "").append(frac);
        return b.toString();
    }
}
