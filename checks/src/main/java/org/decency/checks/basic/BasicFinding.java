package org.decency.checks.basic;

/** A rule that applies to a request, with the detail that says why. */
record BasicFinding(BasicRule rule, String detail) {}
