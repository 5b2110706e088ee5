package org.decency.core;

import java.util.Locale;

/**
 * An envelope address split into local part and domain. The domain is lower-cased;
 * the local part keeps its case. {@code <>} (the null sender) has both parts empty.
 */
public record MailAddress(String raw, String localPart, String domain) {

    public static final MailAddress NULL_SENDER = new MailAddress("", "", "");

    public static MailAddress parse(String raw) {
        if (raw == null) return NULL_SENDER;
        String a = raw.strip();
        if (a.startsWith("<") && a.endsWith(">")) a = a.substring(1, a.length() - 1);
        if (a.isEmpty()) return NULL_SENDER;
        int at = a.lastIndexOf('@');
        if (at < 0) return new MailAddress(a, a, "");
        return new MailAddress(a, a.substring(0, at), a.substring(at + 1).toLowerCase(Locale.ROOT));
    }

    public boolean isNull() {
        return raw.isEmpty();
    }

    /** local@domain with the domain lower-cased, the local part lower-cased too (lists match case-insensitively). */
    public String normalized() {
        if (domain.isEmpty()) return localPart.toLowerCase(Locale.ROOT);
        return localPart.toLowerCase(Locale.ROOT) + "@" + domain;
    }

    /**
     * The address without its extension when a recipient delimiter is configured. As in
     * Postfix 2.11 and later, every character of {@code delimiters} is a delimiter
     * ({@code "+-"}: both {@code user+ext} and {@code user-ext} mean {@code user}).
     */
    public MailAddress withoutExtension(String delimiters) {
        if (delimiters == null || delimiters.isEmpty()) return this;
        int cut = -1;
        for (int i = 0; i < localPart.length() && cut < 0; i++) {
            if (delimiters.indexOf(localPart.charAt(i)) >= 0) cut = i;
        }
        if (cut <= 0) return this;
        String local = localPart.substring(0, cut);
        return new MailAddress(domain.isEmpty() ? local : local + "@" + domain, local, domain);
    }

    @Override
    public String toString() {
        return raw;
    }
}
