package org.decency.checks.dkim;

import java.security.PrivateKey;

/** A private key with what a signature says about it: d=, s= and a=. */
public record SigningKey(String domain, String selector, DkimAlgorithm algorithm, PrivateKey key) {}
