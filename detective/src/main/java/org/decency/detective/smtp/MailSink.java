package org.decency.detective.smtp;

import java.util.List;
import org.decency.detective.spool.SpoolEntry;

/**
 * Where a received mail goes once it is safely in the spool. Answers only when the mail
 * was passed on or deliberately handled: one reply for SMTP, one per recipient (in
 * envelope order) for LMTP. A 2xx tells the sending MTA the mail is ours now.
 */
public interface MailSink {
    List<SmtpReply> deliver(SpoolEntry entry);

    /**
     * The same, with the {@link EnvelopeGate}'s screening of this transaction: a
     * before-queue proxy decides about the mail with what its envelope checks found.
     * Without a gate the screening is {@link EnvelopeGate.Screening#NONE}.
     */
    default List<SmtpReply> deliver(SpoolEntry entry, EnvelopeGate.Screening screening) {
        return deliver(entry);
    }
}
