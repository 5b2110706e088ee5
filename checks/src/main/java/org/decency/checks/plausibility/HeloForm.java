package org.decency.checks.plausibility;

import org.decency.checks.support.DnsLookups;
import org.decency.core.IpAddress;

/**
 * The HELO argument as the rules need it: a host name to look up, an address
 * ({@code [192.0.2.1]} or bare), or nothing usable.
 *
 * @param name    the host name, lower case without trailing dot; empty unless {@code kind} is NAME
 * @param address the address of a LITERAL or BARE_ADDRESS HELO, else null
 */
record HeloForm(String text, Kind kind, String name, IpAddress address) {

    enum Kind {
        /** No HELO given. */
        NONE,
        /** A name with at least one dot: looked up. */
        NAME,
        /** {@code [192.0.2.1]}. */
        LITERAL,
        /** {@code 192.0.2.1} without brackets. */
        BARE_ADDRESS,
        /** Anything else (a single label, garbage): not looked up. */
        OTHER
    }

    static HeloForm of(String helo) {
        String t = helo == null ? "" : helo.strip();
        if (t.isEmpty()) return new HeloForm(t, Kind.NONE, "", null);
        IpAddress ip = IpAddress.parse(t).orElse(null);
        if (ip != null) return new HeloForm(t, t.startsWith("[") ? Kind.LITERAL : Kind.BARE_ADDRESS, "", ip);
        String n = DnsLookups.normal(t);
        boolean name = n.contains(".") && !n.startsWith("[") && n.matches("[a-z0-9_.-]+");
        return new HeloForm(t, name ? Kind.NAME : Kind.OTHER, name ? n : "", null);
    }

    boolean isName() {
        return kind == Kind.NAME;
    }

    /** policyd-weight's numeric HELO: {@code 192.0.2.1} or {@code [192.0.2.1]}. */
    boolean numeric() {
        return kind == Kind.LITERAL || kind == Kind.BARE_ADDRESS;
    }
}
