package org.decency.detective.reinject;

import java.io.IOException;

/** A target refused a mail or a step; {@code permanent} for a 5xx, else it may work later or elsewhere. */
public final class ReinjectException extends IOException {
    private final boolean permanent;

    public ReinjectException(boolean permanent, String message) {
        super(message);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
