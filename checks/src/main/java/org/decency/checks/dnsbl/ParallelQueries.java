package org.decency.checks.dnsbl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.decency.dns.Dns;
import org.decency.dns.DnsAnswer;
import org.decency.dns.DnsType;

/**
 * Asks many names at once and hands the answers over as they arrive, on the calling
 * thread, until the listener has seen enough or the deadline passes: n lists cost the
 * time of the slowest, not the sum.
 */
final class ParallelQueries {

    /** Sees one answer; returns true when no further answer is needed. */
    interface Listener {
        boolean answered(int index, DnsAnswer answer);
    }

    private ParallelQueries() {}

    /**
     * @param deadline a {@link System#nanoTime()} value
     * @return the indexes of the names that had no answer by the deadline; empty when the listener stopped early
     */
    static List<Integer> ask(Dns dns, List<String> names, DnsType type, long deadline, Listener listener)
            throws InterruptedException {
        BlockingQueue<Map.Entry<Integer, DnsAnswer>> arrivals = new LinkedBlockingQueue<>();
        for (int i = 0; i < names.size(); i++) {
            int index = i;
            query(dns, names.get(i), type).whenComplete((a, error) ->
                    arrivals.add(Map.entry(index, a != null ? a : DnsAnswer.of(DnsAnswer.Status.SERVFAIL))));
        }
        boolean[] done = new boolean[names.size()];
        for (int left = names.size(); left > 0; left--) {
            long wait = deadline - System.nanoTime();
            Map.Entry<Integer, DnsAnswer> next = wait > 0 ? arrivals.poll(wait, TimeUnit.NANOSECONDS) : arrivals.poll();
            if (next == null) break;
            done[next.getKey()] = true;
            if (listener.answered(next.getKey(), next.getValue())) return List.of();
        }
        List<Integer> lost = new ArrayList<>();
        for (int i = 0; i < done.length; i++) if (!done[i]) lost.add(i);
        return lost;
    }

    private static CompletableFuture<DnsAnswer> query(Dns dns, String name, DnsType type) {
        try {
            return dns.query(name, type);
        } catch (RuntimeException e) { // a resolver must not throw; if one does, the list failed
            return CompletableFuture.completedFuture(DnsAnswer.of(DnsAnswer.Status.SERVFAIL));
        }
    }
}
