package org.decency.detective.smtp;

import java.util.List;
import java.util.Map;

/**
 * Asked while the envelope comes in, before each reply: a before-queue filter (the
 * Defender's proxy mode) refuses there what the envelope checks refuse, so the sending
 * client hears it at MAIL or RCPT. The after-queue Detective has none ({@link #OPEN}).
 */
public interface EnvelopeGate {

    /** Lets every envelope through and adds nothing. */
    EnvelopeGate OPEN = facts -> Screening.NONE;

    /** A new transaction (at MAIL FROM); the session asks the returned screening until the transaction ends. */
    Screening begin(EnvelopeFacts facts);

    /** One transaction's screening. Called from the session's own thread only. */
    interface Screening {
        Screening NONE = new Screening() {};

        /** The reply to MAIL FROM when it is refused (4xx/5xx); null to accept it. */
        default SmtpReply mail() {
            return null;
        }

        /** The reply to this RCPT TO when it is refused (4xx/5xx); null to accept it. */
        default SmtpReply rcpt(String address, String params) {
            return null;
        }

        /** Header fields ({@code Name: value}, folded with CRLF + space if long) put on top of the mail at DATA. */
        default List<String> headers() {
            return List.of();
        }
    }

    /**
     * What is known when MAIL FROM comes: the client as XFORWARD names it (a proxy sees
     * Postfix's smtpd, not the client) or else the connection's peer.
     */
    record EnvelopeFacts(String peerAddress, String helo, Map<String, String> xforward, String sender, String senderParams) {

        public EnvelopeFacts {
            xforward = Map.copyOf(xforward);
        }

        public String clientAddress() {
            String a = xforward.get("ADDR");
            return a == null || a.isEmpty() || a.startsWith("[UNAVAILABLE") ? peerAddress : a.replaceFirst("(?i)^ipv6:", "");
        }

        public String clientName() {
            String n = xforward.get("NAME");
            return n == null || n.startsWith("[UNAVAILABLE") ? "" : n;
        }

        public String clientHelo() {
            String h = xforward.get("HELO");
            return h == null || h.isEmpty() || h.startsWith("[UNAVAILABLE") ? helo : h;
        }
    }
}
