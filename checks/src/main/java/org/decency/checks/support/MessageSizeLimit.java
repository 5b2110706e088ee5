package org.decency.checks.support;

import org.decency.config.ConfigNode;
import org.decency.core.Transaction;

/**
 * The seeds' {@code max_size} of a Detective module: mails larger than this many bytes
 * are not looked at by the module (0, the default: no limit). Sizes as in
 * {@link ByteSizes}.
 */
public record MessageSizeLimit(long maxBytes) {

    public static final MessageSizeLimit NONE = new MessageSizeLimit(0);

    public static MessageSizeLimit read(ConfigNode n) {
        return new MessageSizeLimit(ByteSizes.read(n, "max_size", 0));
    }

    /** True when the transaction's mail is larger than the limit. */
    public boolean exceededBy(Transaction tx) {
        return maxBytes > 0 && tx.hasMessage() && tx.message().size() > maxBytes;
    }

    /** A detail for a mail that was skipped. */
    public String skipped(Transaction tx) {
        return "skipped: the mail has " + tx.message().size() + " bytes, more than max_size " + ByteSizes.format(maxBytes);
    }
}
