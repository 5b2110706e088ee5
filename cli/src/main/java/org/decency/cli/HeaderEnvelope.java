package org.decency.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.decency.core.MailAddress;
import org.decency.message.MailMessage;

/**
 * An envelope guessed from a mail's header, as the seeds' Detective did when it had no
 * envelope file: the sender from {@code Return-Path} (else {@code From}), the recipients
 * from {@code Delivered-To} (else {@code To} and {@code Cc}).
 */
final class HeaderEnvelope {
    private static final Pattern ANGLED = Pattern.compile("<([^<>\\s]*)>");
    private static final Pattern BARE = Pattern.compile("[^\\s<>,;:\"()\\[\\]]+@[^\\s<>,;:\"()\\[\\]]+");

    private HeaderEnvelope() {}

    static MailAddress sender(MailMessage mail) {
        for (String field : List.of("Return-Path", "From")) {
            List<String> found = addresses(mail.header(field).orElse(""));
            if (mail.header(field).isPresent() && field.equals("Return-Path") && found.isEmpty()) return MailAddress.NULL_SENDER;
            if (!found.isEmpty()) return MailAddress.parse(found.getFirst());
        }
        return MailAddress.NULL_SENDER;
    }

    static List<MailAddress> recipients(MailMessage mail) {
        Set<String> out = new LinkedHashSet<>();
        mail.headers("Delivered-To").forEach(f -> out.addAll(addresses(f.value())));
        if (out.isEmpty()) {
            for (String field : List.of("To", "Cc")) mail.headers(field).forEach(f -> out.addAll(addresses(f.value())));
        }
        return out.stream().map(MailAddress::parse).toList();
    }

    /** The addresses in a field value: those in angle brackets and the bare ones between; {@code <>} gives none. */
    static List<String> addresses(String value) {
        List<String> out = new ArrayList<>();
        Matcher angled = ANGLED.matcher(value);
        while (angled.find()) if (!angled.group(1).isEmpty()) out.add(angled.group(1));
        String rest = ANGLED.matcher(value.replaceAll("\"[^\"]*\"", " ")).replaceAll(" ");
        Matcher bare = BARE.matcher(rest);
        while (bare.find()) out.add(bare.group());
        return out;
    }
}
