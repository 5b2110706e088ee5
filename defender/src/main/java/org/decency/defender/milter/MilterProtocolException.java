package org.decency.defender.milter;

import java.io.IOException;

/**
 * The peer broke the milter protocol: a length out of range, a packet cut off, an
 * unknown command, a malformed one, or a command where it cannot come. The session
 * ends with one log line naming it; the server goes on serving.
 */
public final class MilterProtocolException extends IOException {
    public MilterProtocolException(String message) {
        super(message);
    }
}
