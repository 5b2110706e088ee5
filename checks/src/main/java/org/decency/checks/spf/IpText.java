package org.decency.checks.spf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import org.decency.core.IpAddress;

/** Address literals as SPF writes and reads them: strict ip4/ip6 networks, the i and c macros, reverse names. */
final class IpText {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private IpText() {}

    /** The four bytes of a dotted quad without leading zeros (RFC 7208 ip4-network); null otherwise. */
    static byte[] parseIp4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) return null;
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (!p.matches("0|[1-9][0-9]{0,2}")) return null;
            int v = Integer.parseInt(p);
            if (v > 255) return null;
            out[i] = (byte) v;
        }
        return out;
    }

    /** The sixteen bytes of an IPv6 literal (an IPv4-mapped one too); null when it is none. */
    static byte[] parseIp6(String text) {
        if (text.isEmpty() || text.indexOf(':') < 0 || text.length() > 45) return null;
        for (char c : text.toCharArray()) {
            boolean ok = c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) return null;
        }
        try {
            // Only hex digits, ':' and '.', with a ':': the JDK parses it as a literal and never resolves it.
            InetAddress a = InetAddress.getByName(text);
            byte[] b = a.getAddress();
            if (a instanceof Inet4Address) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(b, 0, mapped, 12, 4);
                return mapped;
            }
            return b;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The {@code i} macro: the dotted quad, or the 32 nibbles of an IPv6 address separated by dots. */
    static String dotted(IpAddress ip) {
        if (ip.isV4()) return ip.toString();
        StringBuilder out = new StringBuilder(63);
        for (byte b : ip.bytes()) {
            if (!out.isEmpty()) out.append('.');
            out.append(HEX[(b >> 4) & 15]).append('.').append(HEX[b & 15]);
        }
        return out.toString();
    }

    /** The {@code c} macro: the dotted quad, or the IPv6 address in RFC 5952 form ({@code 2001:db8::1}). */
    static String readable(IpAddress ip) {
        if (ip.isV4()) return ip.toString();
        byte[] b = ip.bytes();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = ((b[2 * i] & 255) << 8) | (b[2 * i + 1] & 255);
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') out.append(':');
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /** The name asked for PTR records: {@code 4.3.2.1.in-addr.arpa} or the reversed nibbles under {@code ip6.arpa}. */
    static String reverseName(IpAddress ip) {
        String[] labels = dotted(ip).toLowerCase(Locale.ROOT).split("\\.");
        StringBuilder out = new StringBuilder();
        for (int i = labels.length - 1; i >= 0; i--) out.append(labels[i]).append('.');
        return out.append(ip.isV4() ? "in-addr.arpa" : "ip6.arpa").toString();
    }
}
