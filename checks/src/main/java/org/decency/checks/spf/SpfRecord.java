package org.decency.checks.spf;

import java.util.List;

/**
 * A parsed {@code v=spf1} record: its mechanisms in order and the {@code redirect=} and
 * {@code exp=} modifiers (null when absent). Unknown modifiers are checked and dropped.
 */
record SpfRecord(List<Mechanism> mechanisms, DomainSpec redirect, DomainSpec explanation) {

    SpfRecord {
        mechanisms = List.copyOf(mechanisms);
    }

    /** True when {@code txt} is a v=spf1 record: the version, case-insensitive, alone or followed by a space (§4.5). */
    static boolean isSpf1(String txt) {
        return txt.regionMatches(true, 0, "v=spf1", 0, 6) && (txt.length() == 6 || txt.charAt(6) == ' ');
    }
}
