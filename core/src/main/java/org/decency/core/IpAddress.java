package org.decency.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address parsed from its literal text only. Never resolves a name:
 * text that is not an address literal gives an empty result, so a hostile attribute
 * cannot make us query DNS.
 */
public final class IpAddress {
    private final byte[] bytes;
    private final String text;

    private IpAddress(byte[] bytes, String text) {
        this.bytes = bytes;
        this.text = text;
    }

    public static Optional<IpAddress> parse(String s) {
        if (s == null) return Optional.empty();
        String t = s.strip();
        if (t.startsWith("[") && t.endsWith("]")) t = t.substring(1, t.length() - 1);
        if (t.regionMatches(true, 0, "IPv6:", 0, 5)) t = t.substring(5);
        if (t.isEmpty() || t.length() > 45) return Optional.empty();
        if (t.indexOf(':') < 0) return parseV4(t).map(b -> new IpAddress(b, canonicalV4(b)));
        // The JDK treats text as a literal only when it starts with an ASCII hex digit or ':';
        // anything else (".::1", a non-ASCII digit) it would hand to the resolver.
        if (t.charAt(0) != ':' && !isAsciiHex(t.charAt(0))) return Optional.empty();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            boolean ok = c == ':' || c == '.' || isAsciiHex(c);
            if (!ok) return Optional.empty();
        }
        try {
            // Starts with hex or ':', contains ':' and only hex/':'/'.': the JDK parses it as a literal and never resolves.
            InetAddress a = InetAddress.getByName(t);
            byte[] b = a.getAddress();
            return Optional.of(new IpAddress(b, b.length == 4 ? canonicalV4(b) : a.getHostAddress()));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static boolean isAsciiHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static Optional<byte[]> parseV4(String t) {
        byte[] b = new byte[4];
        int part = 0, v = 0, digits = 0;
        for (int i = 0; i <= t.length(); i++) {
            char c = i < t.length() ? t.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || part == 4) return Optional.empty();
                b[part++] = (byte) v;
                v = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                v = v * 10 + (c - '0');
                if (v > 255) return Optional.empty();
                digits++;
            } else {
                return Optional.empty();
            }
        }
        return part == 4 ? Optional.of(b) : Optional.empty();
    }

    private static String canonicalV4(byte[] b) {
        return (b[0] & 255) + "." + (b[1] & 255) + "." + (b[2] & 255) + "." + (b[3] & 255);
    }

    public boolean isV4() {
        return bytes.length == 4;
    }

    public boolean isLoopback() {
        if (isV4()) return (bytes[0] & 255) == 127;
        for (int i = 0; i < 15; i++) if (bytes[i] != 0) return false;
        return bytes[15] == 1;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** The network this address lies in, as canonical text: {@code 192.0.2.0/24} for prefix 24. */
    public String network(int prefix) {
        byte[] b = masked(prefix);
        try {
            return (b.length == 4 ? canonicalV4(b) : InetAddress.getByAddress(b).getHostAddress()) + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] masked(int prefix) {
        byte[] b = bytes.clone();
        for (int i = 0; i < b.length; i++) {
            int bitsLeft = prefix - i * 8;
            if (bitsLeft >= 8) continue;
            b[i] = bitsLeft <= 0 ? 0 : (byte) (b[i] & (0xff << (8 - bitsLeft)));
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Canonical text: dotted quad, or the JDK's full IPv6 form. */
    @Override
    public String toString() {
        return text;
    }
}
