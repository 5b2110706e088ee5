package org.decency.checks.engine;

import java.io.IOException;

/**
 * The engine took the lesson but its model did not change: the mail was learnt as that
 * before (or, to forget, never learnt). {@code decency train} counts it as "not required"
 * (as the seeds did), not as an error.
 */
public class NothingLearnedException extends IOException {
    public NothingLearnedException(String message) {
        super(message);
    }
}
