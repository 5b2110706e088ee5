package org.decency.store;

import java.util.Locale;

/**
 * One entry of a custom list: in list {@code cbl}, kind {@code ips}, for recipient domain
 * {@code example.org} (or {@code *} for all), the value {@code 192.0.2.0/24}.
 */
public record ListEntry(String list, Kind kind, String toDomain, String value) {

    public enum Kind {
        IPS, DOMAINS, ADDRESSES;

        public static Kind parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "ips", "ip" -> IPS;
                case "domains", "domain" -> DOMAINS;
                case "addresses", "address" -> ADDRESSES;
                default -> throw new IllegalArgumentException("unknown list kind \"" + s + "\"; expected ips, domains or addresses");
            };
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ListEntry {
        list = list.toLowerCase(Locale.ROOT);
        toDomain = toDomain == null || toDomain.isBlank() ? "*" : toDomain.strip().toLowerCase(Locale.ROOT);
        value = value.strip().toLowerCase(Locale.ROOT);
    }
}
