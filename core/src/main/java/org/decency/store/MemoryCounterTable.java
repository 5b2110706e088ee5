package org.decency.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.StampedLock;

/**
 * The {@link CounterTable} the in-memory and embedded stores keep natively: an open-addressing
 * hash table of primitive longs (id, value, expiry), one array probe per lookup and no key
 * objects. Lookups read without taking a lock (optimistically, retried under the read lock
 * when a change came between); changes take the write lock once per batch. Expired counters
 * read as 0 and are dropped by {@link #sweep} (or when the table grows). A table that tracks
 * its changes remembers which ids changed, for {@link #drainChanges} (the embedded store
 * writes them to its file).
 */
public final class MemoryCounterTable implements CounterTable {
    private static final int STRIDE = 3; // per slot: id, value, expires at (epoch ms; 0: empty slot)
    private static final int MIN_SLOTS = 16;

    private final Clock clock;
    private final boolean tracksChanges;
    private final StampedLock lock = new StampedLock();
    private long[] slots = new long[MIN_SLOTS * STRIDE];
    private int size;
    private long[] changed = new long[0];
    private int changedCount;

    /** The counters that changed since the last {@link #drainChanges}: {@code expiresAt} 0 where a counter is gone. */
    public record Changes(long[] ids, long[] values, long[] expiresAt) {
        public int size() {
            return ids.length;
        }
    }

    public MemoryCounterTable(Clock clock, boolean tracksChanges) {
        this.clock = clock;
        this.tracksChanges = tracksChanges;
    }

    @Override
    public long[] get(long[] ids) {
        long now = clock.millis();
        long[] out = new long[ids.length];
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            read(slots, ids, now, out);
            if (lock.validate(stamp)) return out;
        }
        stamp = lock.readLock();
        try {
            read(slots, ids, now, out);
        } finally {
            lock.unlockRead(stamp);
        }
        return out;
    }

    @Override
    public void add(long[] ids, long delta, Duration ttl) {
        long now = clock.millis();
        long expires = now + ttl.toMillis();
        long stamp = lock.writeLock();
        try {
            for (long id : ids) {
                int at = slotFor(id, now);
                long before = slots[at + 2] > now ? slots[at + 1] : 0;
                set(at, id, before + delta, expires);
                changed(id);
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Sets a counter as it was read from a file; not a change to write back. */
    public void load(long id, long value, long expiresAt) {
        long stamp = lock.writeLock();
        try {
            set(slotFor(id, clock.millis()), id, value, expiresAt);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Sets a counter's value and expiry, as a change (for moving counters in from elsewhere). */
    public void put(long id, long value, long expiresAt) {
        long stamp = lock.writeLock();
        try {
            set(slotFor(id, clock.millis()), id, value, expiresAt);
            changed(id);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** How many counters the table holds (expired ones not yet swept included). */
    public int size() {
        long stamp = lock.readLock();
        try {
            return size;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Drops the expired counters; returns how many. */
    public int sweep() {
        long now = clock.millis();
        long stamp = lock.writeLock();
        try {
            int expired = 0;
            for (int at = 0; at < slots.length; at += STRIDE) if (slots[at + 2] != 0 && slots[at + 2] <= now) expired++;
            if (expired > 0) rehash(slots.length / STRIDE, now);
            return expired;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /**
     * The ids changed since the last call (each once, ascending) with their current values
     * and expiries, and forgets them. Empty for a table that does not track changes.
     */
    public Changes drainChanges() {
        long[] ids;
        long stamp = lock.writeLock();
        try {
            ids = Arrays.copyOf(changed, changedCount);
            changedCount = 0;
            if (changed.length > 4096) changed = new long[0]; // a burst's buffer is not kept
        } finally {
            lock.unlockWrite(stamp);
        }
        ids = distinctSorted(ids);
        long[] values = new long[ids.length];
        long[] expiresAt = new long[ids.length];
        stamp = lock.readLock();
        try {
            int mask = slots.length / STRIDE - 1;
            for (int i = 0; i < ids.length; i++) {
                int at = find(slots, mask, ids[i]);
                if (at < 0) continue;
                values[i] = slots[at + 1];
                expiresAt[i] = slots[at + 2];
            }
        } finally {
            lock.unlockRead(stamp);
        }
        return new Changes(ids, values, expiresAt);
    }

    /** Marks {@code ids} as changed again (their write failed; the next drain has them). */
    public void restoreChanges(long[] ids) {
        long stamp = lock.writeLock();
        try {
            for (long id : ids) changed(id);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private static void read(long[] s, long[] ids, long now, long[] out) {
        int mask = s.length / STRIDE - 1;
        for (int i = 0; i < ids.length; i++) {
            int at = find(s, mask, ids[i]);
            if (at >= 0 && s[at + 2] > now) out[i] = s[at + 1];
        }
    }

    /** The slot offset of {@code id}, or -1; bounded, as an optimistic read may see a table in change. */
    private static int find(long[] s, int mask, long id) {
        int i = index(id, mask);
        for (int probes = 0; probes <= mask; probes++) {
            int at = i * STRIDE;
            if (s[at + 2] == 0) return -1;
            if (s[at] == id) return at;
            i = (i + 1) & mask;
        }
        return -1;
    }

    /** The slot offset of {@code id}: its own, or the empty one it goes into (the table grown first if need be). */
    private int slotFor(long id, long now) {
        int capacity = slots.length / STRIDE;
        if ((size + 1L) * 4 > capacity * 3L) rehash(capacity * 2, now);
        int mask = slots.length / STRIDE - 1;
        int i = index(id, mask);
        while (true) {
            int at = i * STRIDE;
            if (slots[at + 2] == 0 || slots[at] == id) return at;
            i = (i + 1) & mask;
        }
    }

    private void set(int at, long id, long value, long expiresAt) {
        if (slots[at + 2] == 0) size++;
        slots[at] = id;
        slots[at + 1] = value;
        slots[at + 2] = expiresAt == 0 ? 1 : expiresAt; // 0 marks an empty slot; 1 is long expired
    }

    /** Rebuilds the table with {@code capacity} slots, leaving out the counters expired at {@code now}. */
    private void rehash(int capacity, long now) {
        long[] old = slots;
        long[] fresh = new long[Math.max(MIN_SLOTS, capacity) * STRIDE];
        int mask = fresh.length / STRIDE - 1;
        int kept = 0;
        for (int at = 0; at < old.length; at += STRIDE) {
            long expiresAt = old[at + 2];
            if (expiresAt == 0) continue;
            if (expiresAt <= now) {
                changed(old[at]);
                continue;
            }
            int i = index(old[at], mask);
            while (fresh[i * STRIDE + 2] != 0) i = (i + 1) & mask;
            System.arraycopy(old, at, fresh, i * STRIDE, STRIDE);
            kept++;
        }
        slots = fresh;
        size = kept;
    }

    private void changed(long id) {
        if (!tracksChanges) return;
        if (changedCount == changed.length) changed = Arrays.copyOf(changed, Math.max(256, changedCount * 2));
        changed[changedCount++] = id;
    }

    private static int index(long id, int mask) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private static long[] distinctSorted(long[] ids) {
        if (ids.length == 0) return ids;
        Arrays.sort(ids);
        int n = 1;
        for (int i = 1; i < ids.length; i++) if (ids[i] != ids[n - 1]) ids[n++] = ids[i];
        return Arrays.copyOf(ids, n);
    }
}
