package org.decency.checks.support;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.decency.config.ConfigNode;
import org.decency.pipeline.ModuleOptions;

/**
 * The moment by which a check's DNS lookups must have answered. A check starts every
 * lookup at once, then collects them against one deadline: a lookup that has not
 * answered by then counts as unanswered, and the check answers with what it has before
 * the pipeline gives up on it.
 */
public final class Deadline {
    private static final long GRACE_NANOS = 50_000_000L;

    private final long endNanos;

    private Deadline(long endNanos) {
        this.endNanos = endNanos;
    }

    public static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    /**
     * The lookup budget of a module: nine tenths of its {@code timeout} (default 15s),
     * so that the check answers with what it found before the pipeline counts it as 0.
     */
    public static Duration budgetOf(ConfigNode moduleConfig) {
        Duration timeout = moduleConfig.duration("timeout", ModuleOptions.DEFAULT_TIMEOUT);
        return timeout.multipliedBy(9).dividedBy(10);
    }

    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    /**
     * The value of {@code future}, or {@code late}'s when it has not come by the deadline
     * (or failed). Lookups started through {@link DnsLookups} end by the deadline on their
     * own; a short grace lets what they carry arrive.
     */
    public <T> T await(CompletableFuture<T> future, Supplier<T> late) {
        try {
            return future.get(remaining().toNanos() + GRACE_NANOS, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return late.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return late.get();
        }
    }
}
