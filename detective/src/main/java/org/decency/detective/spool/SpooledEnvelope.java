package org.decency.detective.spool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the SMTP client said about a mail, kept beside it in the spool: the envelope
 * sender and recipients with their ESMTP parameters (passed on when reinjecting: SIZE,
 * BODY, RET, ENVID, SMTPUTF8; NOTIFY, ORCPT), the original client as Postfix forwarded
 * it (XFORWARD), and when it arrived.
 *
 * @param senderParams MAIL FROM parameters as given, e.g. {@code BODY=8BITMIME RET=HDRS}
 * @param xforward     XFORWARD attributes (NAME, ADDR, PROTO, HELO, ...), decoded
 */
public record SpooledEnvelope(String sender, String senderParams, List<Recipient> recipients,
                              Map<String, String> xforward, String helo, long receivedAt) {

    /** A recipient with its RCPT TO parameters as given, e.g. {@code NOTIFY=FAILURE ORCPT=rfc822;a@b}. */
    public record Recipient(String address, String params) {}

    public SpooledEnvelope {
        recipients = List.copyOf(recipients);
        xforward = Map.copyOf(xforward);
        senderParams = senderParams == null ? "" : senderParams;
        helo = helo == null ? "" : helo;
    }

    public List<String> recipientAddresses() {
        return recipients.stream().map(Recipient::address).toList();
    }

    /** Line-oriented text: one {@code key<TAB>value} a line, values escaped. */
    String write() {
        StringBuilder b = new StringBuilder();
        line(b, "sender", sender);
        line(b, "sender_params", senderParams);
        for (Recipient r : recipients) line(b, "recipient", r.address(), r.params());
        xforward.forEach((k, v) -> line(b, "xforward", k, v));
        line(b, "helo", helo);
        line(b, "received_at", Long.toString(receivedAt));
        return b.toString();
    }

    static SpooledEnvelope read(String text) {
        String sender = "", params = "", helo = "";
        long at = 0;
        List<Recipient> rcpts = new ArrayList<>();
        Map<String, String> xf = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab < 0) continue;
            String key = line.substring(0, tab);
            String value = line.substring(tab + 1);
            switch (key) {
                case "sender" -> sender = unescape(value);
                case "sender_params" -> params = unescape(value);
                case "helo" -> helo = unescape(value);
                case "received_at" -> at = Long.parseLong(value.strip());
                case "recipient", "xforward" -> {
                    int t = value.indexOf('\t');
                    String a = unescape(t < 0 ? value : value.substring(0, t));
                    String b = t < 0 ? "" : unescape(value.substring(t + 1));
                    if (key.equals("recipient")) rcpts.add(new Recipient(a, b));
                    else xf.put(a, b);
                }
                default -> { }
            }
        }
        return new SpooledEnvelope(sender, params, rcpts, xf, helo, at);
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append(key).append('\t').append(escape(value)).append('\n');
    }

    /** A line with two values, each escaped on its own (a tab inside either cannot be taken for the separator). */
    private static void line(StringBuilder b, String key, String first, String second) {
        b.append(key).append('\t').append(escape(first)).append('\t').append(escape(second)).append('\n');
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(switch (n) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> n;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
