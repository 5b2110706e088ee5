package org.decency.checks.dspam;

import java.io.IOException;

/**
 * DSPAM could not be asked, or its answer cannot be used: refused, cut off, too late, or
 * not what DSPAM says. The message says which, in words for the log and the score's
 * detail; it never contains the {@code client_ident}'s password.
 */
class DspamException extends IOException {

    DspamException(String message) {
        super(message);
    }

    DspamException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A connection from the pool that turned out closed before this transaction began: try once more on a new one. */
    static final class Stale extends DspamException {
        Stale(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
