package org.decency.checks.lists;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.decency.store.ListEntry;
import org.decency.store.ListStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current {@link ListIndex} of one list: the fixed entries (config and files) plus
 * the store's entries, rebuilt when {@link ListStore#version()} moves. The version is
 * looked at no more than once per {@link #REFRESH_MILLIS}, by one request at a time;
 * every other request just reads the current index.
 */
final class LiveIndex {
    static final long REFRESH_MILLIS = 1000;

    private static final Logger log = LoggerFactory.getLogger(LiveIndex.class);

    private final String checkName;
    private final String listName;
    private final ListModes modes;
    private final List<ListEntry> fixed;
    private final ListStore store;
    private final Clock clock;
    private final AtomicLong nextCheck = new AtomicLong();
    private volatile ListIndex index;
    private volatile long version;
    private volatile int lastUnused;

    LiveIndex(String checkName, String listName, ListModes modes, List<ListEntry> fixed, ListStore store, Clock clock) {
        this.checkName = checkName;
        this.listName = listName;
        this.modes = modes;
        this.fixed = List.copyOf(fixed);
        this.store = store;
        this.clock = clock;
        this.version = store.version();
        this.index = build();
        this.nextCheck.set(clock.millis() + REFRESH_MILLIS);
    }

    ListIndex current() {
        long now = clock.millis();
        long due = nextCheck.get();
        if (now >= due && nextCheck.compareAndSet(due, now + REFRESH_MILLIS)) refresh();
        return index;
    }

    private void refresh() {
        try {
            long v = store.version();
            if (v == version) return;
            // Read the version before the entries: a change in between only causes one more rebuild.
            ListIndex fresh = build();
            index = fresh;
            version = v;
            log.info("{}: list {} changed in the store; now {} entries", checkName, listName, fresh.size());
        } catch (RuntimeException e) {
            log.warn("{}: cannot reload list {} from the store, keeping the old entries: {}", checkName, listName, e.toString());
        }
    }

    private ListIndex build() {
        List<ListEntry> all = new ArrayList<>(fixed);
        all.addAll(store.entries(listName));
        ListIndex built = ListIndex.build(modes, all, (entry, why) ->
                log.warn("{}: ignoring store entry {} {} {}: {}", checkName, entry.kind().key(), entry.toDomain(), entry.value(), why));
        if (built.unused() > 0 && built.unused() != lastUnused) {
            log.warn("{}: list {} has entries that can never match ({}): entries for \"*\" need activate_sender_list, "
                    + "domain \"*\" entries need activate_recipient_list, the others need the normal list", checkName, listName, built.unused());
        }
        lastUnused = built.unused();
        return built;
    }
}
