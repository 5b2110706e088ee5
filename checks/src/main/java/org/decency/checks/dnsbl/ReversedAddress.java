package org.decency.checks.dnsbl;

import org.decency.core.IpAddress;

/**
 * The name under which a DNSBL lists an address (RFC 5782 section 2.1 and 2.4): the
 * octets of an IPv4 address in reverse ({@code 192.0.2.1} → {@code 1.2.0.192}), the 32
 * nibbles of an IPv6 address in reverse, each a lower-case hex digit.
 */
public final class ReversedAddress {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ReversedAddress() {}

    public static String of(IpAddress ip) {
        byte[] b = ip.bytes();
        StringBuilder s = new StringBuilder(b.length == 4 ? 15 : 63);
        for (int i = b.length - 1; i >= 0; i--) {
            int v = b[i] & 255;
            if (s.length() > 0) s.append('.');
            if (b.length == 4) {
                s.append(v);
            } else {
                s.append(HEX[v & 15]).append('.').append(HEX[v >> 4]);
            }
        }
        return s.toString();
    }
}
