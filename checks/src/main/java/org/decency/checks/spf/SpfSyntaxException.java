package org.decency.checks.spf;

/** A record, macro or explanation that does not follow the RFC 7208 grammar. */
final class SpfSyntaxException extends Exception {
    SpfSyntaxException(String message) {
        super(message, null, false, false);
    }
}
