package org.decency.checks.basic;

import org.decency.checks.support.Addresses;
import org.decency.dns.DnsAnswer;

/** The A, AAAA and MX records of a name: does it exist for mail? */
record DomainRecords(Addresses addresses, DnsAnswer mx) {

    /** True for a null MX ({@code MX 0 .}): the domain says it takes no mail. */
    boolean nullMx() {
        return mx.found() && mx.values().equals(java.util.List.of("."));
    }

    /** True when DNS said for certain that there is no A, AAAA or MX record. */
    boolean none() {
        return addresses.knownEmpty() && (mx.none() || mx.status() == DnsAnswer.Status.BAD_NAME);
    }

    /** The questions that went unanswered. */
    java.util.List<String> unanswered() {
        var out = new java.util.ArrayList<>(addresses.unanswered());
        if (mx.temporaryError()) out.add(addresses.name() + " MX (" + mx.status() + ")");
        return out;
    }
}
