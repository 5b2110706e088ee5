package org.decency.core;

import java.util.Set;

/**
 * One anti-spam check. A check is a small class with its own config record; its
 * {@link #name()} is the score code that appears in logs and headers. Front doors
 * never know individual checks: they build a {@link Transaction} and run the
 * {@link org.decency.pipeline.Pipeline}.
 */
public interface Check {

    /** The module name as configured, e.g. {@code CBL}; also the default score code. */
    String name();

    /** The SMTP stages at which this check has something to look at. */
    Set<Stage> stages();

    /** Looks at the transaction; may read scores and flags of earlier checks from {@code run}. */
    Outcome evaluate(Transaction tx, Evaluation run) throws Exception;

    /**
     * True when {@link #evaluate} may block on the network (DNS, a daemon): the pipeline
     * then runs it off the event loop and enforces the module's timeout.
     */
    default boolean blocking() {
        return false;
    }

    /**
     * What this check's outcome depends on, for the pipeline's result cache (the module
     * option {@code result_cache}): e.g. the client address for a DNSBL. Null (the
     * default): the outcome is never reused.
     */
    default String cacheKey(Transaction tx) {
        return null;
    }

    /**
     * The outcome when the pipeline gave up on this check: it timed out (the module's
     * {@code timeout}) or threw. Default: it counts 0. Engine wrappers answer with their
     * {@code on_failure} choice instead (skip, or defer the mail).
     *
     * @param why {@code timeout} or {@code error: <exception>}
     */
    default Outcome failed(String why) {
        return Outcome.score(name(), 0, why).asTemporary();
    }

    /** Called once the run's verdict is known (for learning checks such as AWL). */
    default void decided(Transaction tx, Verdict verdict) {}

    /**
     * The upkeep this check needs in the background (the Archive's retention), run by the
     * server's maintenance under a lease; none by default.
     */
    default java.util.List<MaintenanceTask> maintenance() {
        return java.util.List.of();
    }
}
