package org.decency.forward;

import java.util.Locale;
import org.decency.core.IpAddress;
import org.decency.core.MailAddress;

/**
 * What ties a signed instance header to one mail: the client address, the envelope
 * sender and one recipient, normalized so that the Doorman (Postfix's policy
 * attributes) and the Detective (XFORWARD ADDR, MAIL FROM, RCPT TO) write them alike:
 * the address in canonical form (no {@code IPv6:} prefix, no brackets), the mail
 * addresses without angle brackets and in lower case. They are signed, never written
 * into the header.
 */
public record EnvelopeBinding(String client, String sender, String recipient) {

    public EnvelopeBinding {
        client = oneLine(client);
        sender = oneLine(sender);
        recipient = oneLine(recipient);
    }

    public static EnvelopeBinding of(String clientAddress, String sender, String recipient) {
        String raw = clientAddress == null ? "" : clientAddress.strip();
        String client = IpAddress.parse(raw).map(IpAddress::toString).orElse(raw.toLowerCase(Locale.ROOT));
        return new EnvelopeBinding(client, MailAddress.parse(sender).normalized(), MailAddress.parse(recipient).normalized());
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\r', ' ').replace('\n', ' ');
    }
}
