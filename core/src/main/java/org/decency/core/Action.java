package org.decency.core;

/** What an MTA is told to do. Policy front doors render these as Postfix actions. */
public enum Action {
    OK, DUNNO, REJECT, DEFER, DEFER_IF_PERMIT, DEFER_IF_REJECT,
    /** A literal SMTP reply: the text starts with a 4xx or 5xx code. */
    REPLY,
    PREPEND, WARN, FILTER, HOLD, DISCARD, REDIRECT;

    /** True for actions that refuse or postpone the mail. */
    public boolean refuses() {
        return this == REJECT || this == DEFER || this == DEFER_IF_PERMIT || this == REPLY;
    }
}
