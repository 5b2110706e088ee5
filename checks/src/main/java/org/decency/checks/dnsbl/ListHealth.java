package org.decency.checks.dnsbl;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.decency.checks.support.HumanDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a list is worth asking: one that failed (timed out, SERVFAIL, nonsense) {@code errorSkip}
 * times in a row is not asked for {@code release}, and that is logged once. The state lives
 * in the check, for the life of the process, shared by all requests.
 */
final class ListHealth {
    private static final Logger log = LoggerFactory.getLogger(ListHealth.class);
    private static final long NOT_SKIPPED = Long.MIN_VALUE;

    private final String what;
    private final int errorSkip;
    private final Duration release;
    private final Clock clock;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicLong skippedUntil = new AtomicLong(NOT_SKIPPED);

    ListHealth(String what, int errorSkip, Duration release, Clock clock) {
        this.what = what;
        this.errorSkip = errorSkip;
        this.release = release;
        this.clock = clock;
    }

    /** True while the list is skipped. */
    boolean skipped() {
        long until = skippedUntil.get();
        if (until == NOT_SKIPPED) return false;
        if (clock.millis() < until) return true;
        if (skippedUntil.compareAndSet(until, NOT_SKIPPED)) log.info("{}: asking it again", what);
        return false;
    }

    /** The list answered every question of a request. */
    void answered() {
        failures.set(0);
    }

    /** The list failed a request; the failure that makes {@code errorSkip} starts a skip. */
    void failed(String why) {
        if (errorSkip <= 0 || skippedUntil.get() != NOT_SKIPPED) return;
        int n = failures.incrementAndGet();
        if (n >= errorSkip && failures.compareAndSet(n, 0)) {
            skippedUntil.set(clock.millis() + release.toMillis());
            log.warn("{}: failed {} times in a row (last: {}); not asked for {}", what, n, why, HumanDuration.format(release));
        }
    }
}
