package org.decency.checks.spf;

/**
 * One mechanism of a record (RFC 7208 §5), with its qualifier and its text as written
 * (for logs). A null domain stands for the domain being checked.
 */
sealed interface Mechanism {

    Qualifier qualifier();

    /** The term as written in the record, e.g. {@code -ip4:192.0.2.0/24}. */
    String text();

    /** True for the mechanisms that count against the limit of 10 DNS-querying terms. */
    default boolean queriesDns() {
        return !(this instanceof All || this instanceof Ip);
    }

    record All(Qualifier qualifier, String text) implements Mechanism {}

    record Include(Qualifier qualifier, String text, DomainSpec domain) implements Mechanism {}

    record A(Qualifier qualifier, String text, DomainSpec domain, int cidr4, int cidr6) implements Mechanism {}

    record Mx(Qualifier qualifier, String text, DomainSpec domain, int cidr4, int cidr6) implements Mechanism {}

    record Ptr(Qualifier qualifier, String text, DomainSpec domain) implements Mechanism {}

    record Ip(Qualifier qualifier, String text, IpNetwork network) implements Mechanism {}

    record Exists(Qualifier qualifier, String text, DomainSpec domain) implements Mechanism {}
}
