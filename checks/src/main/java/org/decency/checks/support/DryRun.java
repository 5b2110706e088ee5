package org.decency.checks.support;

import org.decency.core.Transaction;

/**
 * A run that only shows what would happen ({@code decency check-message}): the front door
 * sets the transaction attribute {@link #ATTRIBUTE}, and checks with side effects outside
 * the run (Archive, HoneyCollector write files) say what they would do instead of doing it.
 */
public final class DryRun {
    /** The transaction attribute that marks a dry run; its value is {@code 1}. */
    public static final String ATTRIBUTE = "decency_dry_run";

    private DryRun() {}

    public static boolean of(Transaction tx) {
        return "1".equals(tx.attributes().get(ATTRIBUTE));
    }
}
