package org.decency.detective;

import org.decency.config.ConfigNode;

/**
 * The seeds' {@code virus:} section: what happens to a mail a check found a virus in
 * (a flag {@code virus=<name>}, e.g. from ClamAV).
 *
 * <pre>{@code
 * virus:
 *   handle: quarantine       # bounce, delete, quarantine or ignore (deliver as it is)
 *   notify_sender: 0         # mind the backscatter: senders of viruses are mostly forged
 *   notify_recipient: 1
 *   sender_template: templates/virus-sender.txt
 *   recipient_template: templates/virus-recipient.txt
 *   sender_subject: "Virus detected"
 *   recipient_subject: "Virus detected"
 * }</pre>
 */
public record VirusPolicy(Handle handle, Notice senderNotice, Notice recipientNotice) {

    public enum Handle { BOUNCE, DELETE, QUARANTINE, IGNORE }

    public static VirusPolicy none() {
        return new VirusPolicy(Handle.IGNORE, Notice.OFF, Notice.OFF);
    }

    public static VirusPolicy read(ConfigNode root) {
        ConfigNode n = root.child("virus").orElse(null);
        if (n == null) return none();
        Handle handle = SpamPolicy.parse(n, "handle", Handle.class, Handle.IGNORE);
        Notice sender = Notice.read(n, "sender", "Virus detected");
        Notice recipient = Notice.read(n, "recipient", "Virus detected");
        if (sender.enabled() && handle == Handle.BOUNCE) {
            throw n.required("notify_sender").error("a bounce tells the sender already; notify_sender would tell twice");
        }
        n.finish();
        return new VirusPolicy(handle, sender, recipient);
    }
}
