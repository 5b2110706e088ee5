package org.decency.store;

/**
 * A {@link Store} call failed: the backend answered with an error, or (as the subclass
 * {@link StoreUnavailableException}) could not be reached in time. Never swallowed by a
 * store: a check that calls the store lets it propagate, and the pipeline answers with
 * the check's failure outcome ({@code Check.failed}: tempfail or skip, per module).
 */
public class StoreException extends RuntimeException {
    private final String backend;

    public StoreException(String backend, String message, Throwable cause) {
        super(backend + ": " + message, cause);
        this.backend = backend;
    }

    /** Which store failed, e.g. {@code redis 127.0.0.1:6379} or {@code postgres //db/decency}. */
    public String backend() {
        return backend;
    }
}
