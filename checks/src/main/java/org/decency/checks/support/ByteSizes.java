package org.decency.checks.support;

import java.util.Locale;
import org.decency.config.ConfigNode;

/** Sizes in config files: {@code 1048576}, {@code 512k}, {@code 50m}, {@code 1g}; 0 where a key allows "off". */
public final class ByteSizes {
    private ByteSizes() {}

    /** The size under {@code key}, or {@code def} when absent. */
    public static long read(ConfigNode n, String key, long def) {
        return n.child(key).map(ByteSizes::parse).orElse(def);
    }

    public static long parse(ConfigNode v) {
        String t = v.text().strip().toLowerCase(Locale.ROOT);
        long factor = 1;
        if (t.endsWith("k")) factor = 1L << 10;
        else if (t.endsWith("m")) factor = 1L << 20;
        else if (t.endsWith("g")) factor = 1L << 30;
        if (factor > 1) t = t.substring(0, t.length() - 1).strip();
        try {
            long b = Long.parseLong(t);
            if (b < 0 || b > Long.MAX_VALUE / factor) throw new NumberFormatException();
            return b * factor;
        } catch (NumberFormatException e) {
            throw v.error("expected a size like 1048576, 512k, 50m or 1g, got \"" + v.text() + "\"");
        }
    }

    /** {@code 50m}, {@code 512k}, {@code 1000}: the shortest exact form, for details. */
    public static String format(long bytes) {
        if (bytes > 0 && bytes % (1L << 30) == 0) return bytes / (1L << 30) + "g";
        if (bytes > 0 && bytes % (1L << 20) == 0) return bytes / (1L << 20) + "m";
        if (bytes > 0 && bytes % (1L << 10) == 0) return bytes / (1L << 10) + "k";
        return Long.toString(bytes);
    }
}
