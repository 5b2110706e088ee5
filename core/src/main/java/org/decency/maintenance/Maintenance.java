package org.decency.maintenance;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.decency.core.MaintenanceTask;
import org.decency.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the servers' periodic upkeep (expired store entries, old statistics, old archive
 * files) in every instance, without two instances that share a store running the same
 * task at once, and without an outside cron job.
 *
 * <p>Each task has a <b>lease</b> in the store: the key {@code maintenance:<task name>},
 * taken with {@link Store#putIfAbsent} for the task's {@code every}. An instance tries the
 * lease of a due task about once a minute (sooner for tasks due more often; the first try
 * 30 to 60 seconds after the start, at a random moment, so a server starting up is left
 * alone and instances started together spread out); whoever gets it runs the
 * task, renews the lease while the task runs (every third of {@code every}), and renews it
 * once more when done, so the next run, by any instance, comes no sooner than
 * {@code every} after this one ended. The others find the lease taken and skip. A store
 * that is down makes the try fail: logged, tried again next time.
 */
public final class Maintenance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Maintenance.class);
    static final String LEASE_PREFIX = "maintenance:";
    /** The longest wait between two tries of a lease. */
    static final Duration MAX_TRY_EVERY = Duration.ofMinutes(1);

    /** Per task: what this instance did, for logs and metrics. */
    public static final class Counts {
        final LongAdder runs = new LongAdder();
        final LongAdder failures = new LongAdder();
        final LongAdder skipped = new LongAdder();

        /** Runs this instance did (the lease was its own). */
        public long runs() {
            return runs.sum();
        }

        /** Runs that threw. */
        public long failures() {
            return failures.sum();
        }

        /** Tries that found the lease held by another instance (or by an earlier run). */
        public long skipped() {
            return skipped.sum();
        }
    }

    private final class Slot {
        final MaintenanceTask task;
        final Counts counts = new Counts();
        final AtomicBoolean running = new AtomicBoolean();
        volatile long nextTry;
        volatile long lastRenewal;

        Slot(MaintenanceTask task, long firstTry) {
            this.task = task;
            this.nextTry = firstTry;
        }

        String lease() {
            return LEASE_PREFIX + task.name();
        }

        long tryEvery() {
            return Math.min(task.every().toMillis(), MAX_TRY_EVERY.toMillis());
        }
    }

    private final Store store;
    private final String owner;
    private final Clock clock;
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final Duration tick;
    private ScheduledExecutorService timer;

    /**
     * @param owner who holds a lease (host, process, server): the lease's value, for an administrator looking at the store
     * @param tick  how often due tasks and running leases are looked at
     */
    public Maintenance(Store store, List<MaintenanceTask> tasks, String owner, Clock clock, Duration tick) {
        this.store = store;
        this.owner = owner;
        this.clock = clock;
        this.tick = tick;
        long now = clock.millis();
        for (MaintenanceTask t : tasks) {
            if (slots.containsKey(t.name())) continue; // two modules cleaning the same folder: once is enough
            Slot s = new Slot(t, 0);
            // the first try comes half a try-interval to a whole one after the start (30 to 60 s for most
            // tasks): a server starting up is left alone, and instances started together spread out
            long half = Math.max(1, s.tryEvery() / 2);
            s.nextTry = now + half + ThreadLocalRandom.current().nextLong(half);
            slots.put(t.name(), s);
        }
    }

    public Maintenance(Store store, List<MaintenanceTask> tasks, String owner, Clock clock) {
        this(store, tasks, owner, clock, Duration.ofSeconds(1));
    }

    public List<MaintenanceTask> tasks() {
        List<MaintenanceTask> all = new ArrayList<>();
        for (Slot s : slots.values()) all.add(s.task);
        return all;
    }

    /** What this instance did per task, by task name. */
    public Map<String, Counts> counts() {
        Map<String, Counts> m = new LinkedHashMap<>();
        slots.forEach((name, s) -> m.put(name, s.counts));
        return m;
    }

    /** Starts trying the leases in the background. */
    public synchronized Maintenance start() {
        if (timer != null || slots.isEmpty()) return this;
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("maintenance").daemon().unstarted(r));
        timer.scheduleWithFixedDelay(this::tickQuietly, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("maintenance: {}", e.toString());
        }
    }

    private void tick() {
        long now = clock.millis();
        for (Slot s : slots.values()) {
            if (s.running.get()) {
                if (now - s.lastRenewal >= s.task.every().toMillis() / 3) renew(s);
                continue;
            }
            if (now < s.nextTry) continue;
            s.nextTry = now + s.tryEvery();
            if (!takeLease(s)) continue;
            s.running.set(true);
            Thread.ofVirtual().name("maintenance-" + s.task.name()).start(() -> {
                try {
                    work(s);
                } finally {
                    renew(s);
                    s.running.set(false);
                }
            });
        }
    }

    /**
     * Runs {@code task} now in the calling thread if its lease can be had; true when it ran.
     * The lease stays for the task's {@code every} after the run.
     */
    public boolean runNow(String taskName) {
        Slot s = slots.get(taskName);
        if (s == null) throw new IllegalArgumentException("no maintenance task " + taskName + "; there are " + slots.keySet());
        if (!s.running.compareAndSet(false, true)) return false;
        try {
            if (!takeLease(s)) return false;
            try {
                work(s);
            } finally {
                renew(s);
            }
            return true;
        } finally {
            s.running.set(false);
        }
    }

    private boolean takeLease(Slot s) {
        try {
            if (store.putIfAbsent(s.lease(), owner + " since " + clock.instant(), s.task.every())) {
                s.lastRenewal = clock.millis();
                return true;
            }
            s.counts.skipped.increment();
            return false;
        } catch (RuntimeException e) {
            log.warn("maintenance {}: cannot take the lease, skipped this time: {}", s.task.name(), e.getMessage());
            return false;
        }
    }

    private void renew(Slot s) {
        try {
            store.expire(s.lease(), s.task.every());
            s.lastRenewal = clock.millis();
        } catch (RuntimeException e) {
            log.warn("maintenance {}: cannot renew the lease: {}", s.task.name(), e.getMessage());
        }
    }

    private void work(Slot s) {
        long t0 = System.nanoTime();
        try {
            String done = s.task.run();
            s.counts.runs.increment();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (done != null && !done.isEmpty()) log.info("maintenance {}: {} ({} ms)", s.task.name(), done, ms);
            else log.debug("maintenance {}: nothing to do ({} ms)", s.task.name(), ms);
        } catch (Exception e) {
            s.counts.runs.increment();
            s.counts.failures.increment();
            log.warn("maintenance {} failed (tried again in {}): {}", s.task.name(), org.decency.config.Durations.format(s.task.every()),
                    e.toString());
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) timer.shutdownNow();
        timer = null;
    }
}
