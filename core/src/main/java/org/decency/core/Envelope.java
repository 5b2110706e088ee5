package org.decency.core;

import java.util.List;

/**
 * The envelope: sender (empty for bounces), recipients, the size Postfix announced,
 * the queue id (once known) and Postfix's {@code instance}, which stays the same for
 * every request about one message.
 */
public record Envelope(MailAddress sender, List<MailAddress> recipients, long size, int recipientCount,
                       String queueId, String instance) {

    public Envelope {
        sender = sender == null ? MailAddress.NULL_SENDER : sender;
        recipients = List.copyOf(recipients);
        queueId = Connection.nz(queueId);
        instance = Connection.nz(instance);
    }

    public static Envelope of(String sender, String... recipients) {
        return new Envelope(MailAddress.parse(sender),
                java.util.Arrays.stream(recipients).map(MailAddress::parse).toList(), 0, 0, "", "");
    }

    /** The first recipient, or the null address when none is known yet. */
    public MailAddress recipient() {
        return recipients.isEmpty() ? MailAddress.NULL_SENDER : recipients.getFirst();
    }
}
