package org.decency.core;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Session identifiers as the seeds made them: the last four digits of the epoch
 * second followed by 13 random characters from {@code [a-z0-9]}. They appear in
 * logs, reject texts and the instance header.
 */
public final class Identifiers {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private Identifiers() {}

    public static String next() {
        long epoch = System.currentTimeMillis() / 1000;
        char[] id = new char[17];
        long tail = epoch % 10000;
        for (int i = 3; i >= 0; i--) {
            id[i] = (char) ('0' + tail % 10);
            tail /= 10;
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 4; i < 17; i++) id[i] = ALPHABET[r.nextInt(ALPHABET.length)];
        return new String(id);
    }
}
