package org.decency.checks.spamassassin;

import java.io.IOException;

/**
 * spamd took a {@code TELL} but its Bayes database did not change: the mail was learnt as
 * that before (or, to forget, never learnt), or Bayes is off. spamd's answer does not say
 * which. A training run may count it as "not required" rather than as an error.
 */
public final class NothingLearnedException extends IOException {
    public NothingLearnedException(String message) {
        super(message);
    }
}
