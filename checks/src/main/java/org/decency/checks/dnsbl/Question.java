package org.decency.checks.dnsbl;

/**
 * One question to one list: {@code name} is the full name asked ({@code 1.2.0.192.bl.example.org}),
 * {@code about} what it is about for details and reject texts (empty for a DNSBL, whose
 * subject is the client; {@code sender spam.example} for an RHSBL).
 */
public record Question(int list, String name, String about) {}
