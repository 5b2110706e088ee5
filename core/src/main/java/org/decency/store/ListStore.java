package org.decency.store;

import java.util.List;

/**
 * The list tables behind CWL and CBL (and any other named list): entries of a kind
 * (ips, domains, addresses) per recipient domain, {@code *} meaning every domain.
 */
public interface ListStore {

    boolean add(ListEntry entry);

    boolean remove(ListEntry entry);

    /** Every entry of the named list (e.g. {@code cwl}). */
    List<ListEntry> entries(String list);

    /**
     * A number that changes whenever any list changes, also through another process
     * (the CLI's {@code decency list add}); checks reload their index when it moves.
     */
    long version();
}
