package org.decency.checks.support;

import java.util.List;
import org.decency.core.IpAddress;

/**
 * The A and AAAA addresses of one host name. {@code unanswered} names the questions
 * that got no answer (SERVFAIL, a timeout); while it is not empty the list may be
 * incomplete, and "the name has no address" or "the client is not among them" must
 * not be concluded.
 */
public record Addresses(String name, List<IpAddress> list, List<String> unanswered) {

    public Addresses {
        list = List.copyOf(list);
        unanswered = List.copyOf(unanswered);
    }

    /** Nothing came by the deadline. */
    public static Addresses late(String name) {
        return new Addresses(name, List.of(), List.of(name + " A/AAAA (TIMEOUT)"));
    }

    public boolean complete() {
        return unanswered.isEmpty();
    }

    public boolean contains(IpAddress ip) {
        return ip != null && list.contains(ip);
    }

    /** True when DNS said for certain that the name has no address. */
    public boolean knownEmpty() {
        return list.isEmpty() && complete();
    }
}
