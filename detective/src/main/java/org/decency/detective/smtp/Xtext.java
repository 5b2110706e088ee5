package org.decency.detective.smtp;

/** RFC 3461 xtext: {@code +XX} stands for the byte XX (hex). Used by XFORWARD values and ENVID/ORCPT. */
public final class Xtext {
    private Xtext() {}

    public static String decode(String s) {
        if (s.indexOf('+') < 0) return s;
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+' && isHex(s, i + 1) && isHex(s, i + 2)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    public static String encode(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 33 || c > 126 || c == '+' || c == '=') b.append('+').append(String.format("%02X", (int) c & 0xff));
            else b.append(c);
        }
        return b.toString();
    }

    private static boolean isHex(String s, int i) {
        return i < s.length() && Character.digit(s.charAt(i), 16) >= 0;
    }
}
