package org.decency.checks.association;

/** The score for a client in the same {@code /prefix} network as an address of the sender domain. */
public record RangeWeight(int prefix, double weight) {}
