package org.decency.dns;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one DNS resolver of a Decency process. Checks ask through it and never touch the
 * machine's resolver on their own: the nameservers are the ones the config names.
 * Answers are cached for their TTL (negative answers too). A question never throws:
 * a failure comes back as its {@link DnsAnswer.Status}.
 */
public interface Dns {

    /** Asks {@code type} records of {@code name}; completes within the configured timeout. */
    CompletableFuture<DnsAnswer> query(String name, DnsType type);

    /**
     * Asks and waits at most {@code budget} (a check's own deadline): what has not
     * come by then is a TIMEOUT.
     */
    default DnsAnswer ask(String name, DnsType type, Duration budget) {
        return await(query(name, type), budget);
    }

    /** Waits for {@code answer} at most {@code budget}; a TIMEOUT when it has not come by then. */
    static DnsAnswer await(CompletableFuture<DnsAnswer> answer, Duration budget) {
        try {
            return answer.get(Math.max(0, budget.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return DnsAnswer.of(DnsAnswer.Status.TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DnsAnswer.of(DnsAnswer.Status.TIMEOUT);
        } catch (ExecutionException e) {
            return DnsAnswer.of(DnsAnswer.Status.SERVFAIL);
        }
    }

    /** A resolver for servers without DNS: every question fails at once (SERVFAIL). */
    static Dns none() {
        return (name, type) -> CompletableFuture.completedFuture(DnsAnswer.of(DnsAnswer.Status.SERVFAIL));
    }
}
