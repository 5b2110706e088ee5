package org.decency.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link CounterTable} as plain store counters, one key per id: {@code <name>} followed by
 * the id in 11 characters (6 bits each, lowest first, of {@code A-Za-z0-9-_}). What the
 * shared stores (Redis, PostgreSQL) answer with, through their batch calls {@link
 * Store#getEach} and {@link Store#incrementEach}.
 */
public final class KeyedCounterTable implements CounterTable {
    public static final int ID_LENGTH = 11;
    private static final char[] DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

    private final Store store;
    private final String name;

    public KeyedCounterTable(Store store, String name) {
        this.store = store;
        this.name = name;
    }

    @Override
    public long[] get(long[] ids) {
        String[] found = store.getEach(keys(ids));
        long[] out = new long[ids.length];
        for (int i = 0; i < out.length; i++) {
            String v = found[i];
            if (v == null) continue;
            try {
                out[i] = Long.parseLong(v);
            } catch (NumberFormatException ignored) {
                // not a counter: as if absent
            }
        }
        return out;
    }

    @Override
    public void add(long[] ids, long delta, Duration ttl) {
        store.incrementEach(keys(ids), delta, ttl);
    }

    /** The key of {@code id} in the table {@code name}. */
    public static String key(String name, long id) {
        char[] buf = new char[name.length() + ID_LENGTH];
        name.getChars(0, name.length(), buf, 0);
        encode(id, buf, name.length());
        return new String(buf);
    }

    /** The id of a key of the table {@code name}, or null when {@code key} is not one. */
    public static Long id(String name, String key) {
        if (key.length() != name.length() + ID_LENGTH || !key.startsWith(name)) return null;
        long id = 0;
        for (int i = 0; i < ID_LENGTH; i++) {
            int d = digit(key.charAt(name.length() + i));
            if (d < 0) return null;
            id |= (long) d << (i * 6);
        }
        return key(name, id).equals(key) ? id : null; // the 11th digit has 4 bits only
    }

    /** The keys, each made in one buffer (the name copied once per key, no intermediate strings). */
    private List<String> keys(long[] ids) {
        int nl = name.length();
        List<String> keys = new ArrayList<>(ids.length);
        char[] buf = new char[nl + ID_LENGTH];
        name.getChars(0, nl, buf, 0);
        for (long id : ids) {
            encode(id, buf, nl);
            keys.add(new String(buf));
        }
        return keys;
    }

    private static void encode(long id, char[] buf, int at) {
        for (int i = 0; i < ID_LENGTH; i++) buf[at + i] = DIGITS[(int) (id >>> (i * 6)) & 63];
    }

    private static int digit(char c) {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '-') return 62;
        if (c == '_') return 63;
        return -1;
    }
}
