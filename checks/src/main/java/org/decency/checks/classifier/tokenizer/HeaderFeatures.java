package org.decency.checks.classifier.tokenizer;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The features of a mail's own header fields (decoded: RFC 2047 words already turned into
 * text). Every field's name counts ({@code hdr:list-id}); of the fields that say something
 * about the sender and the way the mail came, the words or names count too, each under its
 * field: the subject's words (and word pairs, as the body's), the address fields' names and
 * domains, the relays' domains and /24 networks of the {@code Received} trail, the mail
 * program, the Message-ID's domain, the priority. Dates, ids and the rest are left out: they
 * are unique to each mail and would only fill the model.
 */
final class HeaderFeatures {
    private static final Pattern HOST_OR_IP = Pattern.compile("(?<![\\w.-])([a-z0-9][a-z0-9-]*(?:\\.[a-z0-9-]+)+)");

    private final FeatureSet out;
    private final int window;
    private int received;

    HeaderFeatures(FeatureSet out, int window) {
        this.out = out;
        this.window = window;
    }

    void add(String name, String value) {
        String field = name.toLowerCase(Locale.ROOT);
        out.add("hdr", field);
        switch (field) {
            case "subject" -> new TextFeatures(out, "subject", window).add(value);
            case "from", "to", "cc", "reply-to", "sender", "return-path", "errors-to" ->
                    new TextFeatures(out, field, 1).add(value);
            case "received" -> received(value);
            case "content-type" -> out.add("ctype", mediaType(value));
            case "x-mailer", "user-agent" -> new TextFeatures(out, "mailer", 1).add(value.replaceAll("[0-9]", ""));
            case "message-id" -> {
                int at = value.lastIndexOf('@');
                if (at >= 0) out.add("msgid", value.substring(at + 1).replace(">", "").strip().toLowerCase(Locale.ROOT));
                else out.add("msgid", "no-domain");
            }
            case "x-priority", "x-msmail-priority", "importance", "precedence" ->
                    out.add(field, value.strip().toLowerCase(Locale.ROOT));
            case "date", "delivered-to", "x-original-to", "content-length", "lines", "status", "x-status", "x-uid",
                 "x-keywords", "content-transfer-encoding", "mime-version" -> { }
            default -> {
                if (!field.startsWith("x-spam") && !field.startsWith("x-virus")) new TextFeatures(out, "head", 1).add(value);
            }
        }
    }

    /** After the header: how many relays the mail passed. */
    void end() {
        out.add("rcvd", "hops=" + Math.min(received, 10));
    }

    private void received(String value) {
        received++;
        Matcher m = HOST_OR_IP.matcher(value.toLowerCase(Locale.ROOT));
        while (m.find()) {
            String h = m.group(1);
            if (h.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
                String[] o = h.split("\\.");
                if (o.length == 4) out.add("rcvdnet", o[0] + "." + o[1] + "." + o[2]);
            } else if (h.chars().anyMatch(Character::isLetter) && h.lastIndexOf('.') < h.length() - 2) {
                out.add("rcvd", UrlFeatures.domainOf(h));
            }
        }
    }

    static String mediaType(String value) {
        int semi = value.indexOf(';');
        return (semi < 0 ? value : value.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }
}
