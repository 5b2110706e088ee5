package org.decency.dns;

import java.util.List;

/**
 * The answer to one DNS question, reduced to what checks need. {@code values} in
 * presentation form, lower-cased names without the trailing dot:
 * A and AAAA give addresses ({@code 192.0.2.1}, {@code 2001:db8:0:0:0:0:0:1}), MX the exchange
 * host names in order of preference ({@code "."} for a null MX), TXT one string per
 * record (its character-strings joined), PTR, CNAME and NS the target names.
 *
 * @param ttlSeconds how long the answer may be reused (0 when it must not be)
 */
public record DnsAnswer(Status status, List<String> values, long ttlSeconds) {

    /** What became of a question. */
    public enum Status {
        /** Records of the asked type exist: see {@code values}. */
        OK,
        /** The name does not exist (NXDOMAIN). */
        NXDOMAIN,
        /** The name exists, but has no records of the asked type. */
        NODATA,
        /** The server failed or refused (SERVFAIL, REFUSED, a broken answer). */
        SERVFAIL,
        /** No server answered in time. */
        TIMEOUT,
        /** The name cannot be asked at all (an empty label, a label over 63 bytes, a name over 253). */
        BAD_NAME
    }

    public DnsAnswer {
        values = List.copyOf(values);
    }

    public static DnsAnswer of(Status status) {
        return new DnsAnswer(status, List.of(), 0);
    }

    /** True when records were found. */
    public boolean found() {
        return status == Status.OK && !values.isEmpty();
    }

    /** True for NXDOMAIN and NODATA: a definite "there is nothing". */
    public boolean none() {
        return status == Status.NXDOMAIN || status == Status.NODATA;
    }

    /** True for a failure that may pass if asked again later (SERVFAIL, TIMEOUT). */
    public boolean temporaryError() {
        return status == Status.SERVFAIL || status == Status.TIMEOUT;
    }
}
