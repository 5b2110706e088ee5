package org.decency.checks.dkim;

/** A DKIM-Signature field, a key record or a key file that does not follow its syntax. */
public final class DkimSyntaxException extends Exception {
    public DkimSyntaxException(String message) {
        super(message);
    }
}
