package org.decency.checks.engine;

import java.io.IOException;

/**
 * A {@link Trainable} module that is told not to learn ({@code disable_train: 1}, or no
 * command for that lesson): {@code decency train} says so once and counts no errors.
 */
public class TrainingDisabledException extends IOException {
    public TrainingDisabledException(String message) {
        super(message);
    }
}
