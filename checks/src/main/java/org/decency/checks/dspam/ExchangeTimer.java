package org.decency.checks.dspam;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The time one exchange with DSPAM may take, connecting and writing included: when it is
 * up, the connection being used is closed, which ends any connect, read or write blocked
 * on it at once (a socket read timeout alone would not stop a write to a server that
 * stopped reading, nor a unix socket).
 */
final class ExchangeTimer implements AutoCloseable {
    private static final ScheduledThreadPoolExecutor TIMERS = timers();

    private final Duration limit;
    private final ScheduledFuture<?> alarm;
    private volatile LmtpConnection watched;
    private volatile boolean expired;

    private ExchangeTimer(Duration limit) {
        this.limit = limit;
        this.alarm = TIMERS.schedule(this::expire, limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    static ExchangeTimer start(Duration limit) {
        return new ExchangeTimer(limit);
    }

    private static ScheduledThreadPoolExecutor timers() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("dspam-timer").factory());
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /** From now on, {@code c} is the connection to close when the time is up (at once if it is up already). */
    void watch(LmtpConnection c) {
        watched = c;
        if (expired) c.abort();
    }

    boolean expired() {
        return expired;
    }

    Duration limit() {
        return limit;
    }

    private void expire() {
        expired = true;
        LmtpConnection c = watched;
        if (c != null) c.abort();
    }

    @Override
    public void close() {
        alarm.cancel(false);
    }
}
