package org.decency.detective.reinject;

import java.io.IOException;

/** A target refused a mail or a step; {@code permanent} for a 5xx, else it may work later or elsewhere. */
public final class ReinjectException extends IOException {
    private final boolean permanent;
    private final int code;

    public ReinjectException(boolean permanent, String message) {
        this(permanent, 0, message);
    }

    /** @param code the target's reply code, 0 when there was none */
    public ReinjectException(boolean permanent, int code, String message) {
        super(message);
        this.permanent = permanent;
        this.code = code;
    }

    public boolean permanent() {
        return permanent;
    }

    public int code() {
        return code;
    }
}
