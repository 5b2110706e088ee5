package org.decency.dns;

/** The record types the checks ask for. */
public enum DnsType {
    A, AAAA, MX, TXT, PTR, CNAME, NS
}
