package org.decency.checks.spf;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.decency.dns.Dns;
import org.decency.dns.DnsAnswer;
import org.decency.dns.DnsType;

/** The DNS questions of one check, all answered by its deadline: what comes later is a TIMEOUT. */
final class SpfLookups {
    private final Dns dns;
    private final long deadline;

    SpfLookups(Dns dns, Duration budget) {
        this.dns = dns;
        this.deadline = System.nanoTime() + budget.toNanos();
    }

    DnsAnswer ask(String name, DnsType type) {
        return await(start(name, type));
    }

    /** Sends a question without waiting, so that several can be under way at once. */
    CompletableFuture<DnsAnswer> start(String name, DnsType type) {
        if (left().isZero()) return CompletableFuture.completedFuture(DnsAnswer.of(DnsAnswer.Status.TIMEOUT));
        return dns.query(name, type);
    }

    DnsAnswer await(CompletableFuture<DnsAnswer> answer) {
        return Dns.await(answer, left());
    }

    private Duration left() {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }
}
