package org.decency.core;

import java.util.Locale;

/** The point of an SMTP session at which a check is asked. */
public enum Stage {
    CONNECT, HELO, MAIL, RCPT, DATA, END_OF_MESSAGE, VRFY, ETRN,
    /** The whole message is available (content filter, milter end of body). */
    MESSAGE;

    /** Maps Postfix's {@code protocol_state} attribute; unknown or empty means RCPT, the usual place. */
    public static Stage fromPolicyState(String state) {
        if (state == null || state.isEmpty()) return RCPT;
        return switch (state.toUpperCase(Locale.ROOT)) {
            case "CONNECT" -> CONNECT;
            case "EHLO", "HELO" -> HELO;
            case "MAIL" -> MAIL;
            case "RCPT" -> RCPT;
            case "DATA" -> DATA;
            case "END-OF-MESSAGE" -> END_OF_MESSAGE;
            case "VRFY" -> VRFY;
            case "ETRN" -> ETRN;
            default -> RCPT;
        };
    }
}
