package org.decency.store;

/**
 * The store's backend (Redis, PostgreSQL) is down, unreachable, or did not answer within
 * its per-call timeout. Transient: the store reconnects by itself, so a later call may
 * succeed; meanwhile every call fails fast with this exception instead of hanging or
 * answering a made-up default. What to do with the mail (tempfail it or skip the check)
 * is the pipeline's per-module choice.
 */
public class StoreUnavailableException extends StoreException {
    public StoreUnavailableException(String backend, String message, Throwable cause) {
        super(backend, message, cause);
    }
}
