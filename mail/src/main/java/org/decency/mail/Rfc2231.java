package org.decency.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * RFC 2231 parameter values: {@code name*=utf-8''%C3%A9.exe} (charset, language and
 * percent-encoded octets) and values split into numbered sections ({@code name*0*=...;
 * name*1=...}). mime4j decodes them for Content-Disposition but not for the parameters of
 * Content-Type, where an attachment's name may hide as well.
 */
final class Rfc2231 {
    /** Sections of one value at most: more is not a file name but an attack on the parser. */
    private static final int MAX_SECTIONS = 100;

    private Rfc2231() {}

    /** The decoded value of the parameter {@code name} given the RFC 2231 way, or null when it is not. */
    static String value(Map<String, String> params, String name) {
        String whole = params.get(name + "*");
        if (whole != null) {
            Extended e = Extended.of(whole);
            ByteArrayOutputStream octets = new ByteArrayOutputStream();
            percentDecode(e.octets(), octets);
            return octets.toString(e.charset());
        }
        if (!params.containsKey(name + "*0") && !params.containsKey(name + "*0*")) return null;
        ByteArrayOutputStream octets = new ByteArrayOutputStream();
        Charset charset = StandardCharsets.UTF_8;
        for (int i = 0; i < MAX_SECTIONS; i++) {
            String encoded = params.get(name + "*" + i + "*");
            String plain = params.get(name + "*" + i);
            if (encoded == null && plain == null) break;
            if (encoded == null) {
                octets.writeBytes(plain.getBytes(charset));
                continue;
            }
            String v = encoded;
            if (i == 0) { // the first section names the charset
                Extended e = Extended.of(v);
                charset = e.charset();
                v = e.octets();
            }
            percentDecode(v, octets);
        }
        return octets.toString(charset);
    }

    /** An extended value: {@code charset'language'octets}; without the quotes, the octets alone, taken as UTF-8. */
    private record Extended(Charset charset, String octets) {
        static Extended of(String v) {
            int a = v.indexOf('\'');
            int b = a < 0 ? -1 : v.indexOf('\'', a + 1);
            return b > 0 ? new Extended(Rfc2231.charset(v.substring(0, a)), v.substring(b + 1)) : new Extended(StandardCharsets.UTF_8, v);
        }
    }

    private static void percentDecode(String v, ByteArrayOutputStream out) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '%' && i + 2 < v.length() && hex(v.charAt(i + 1)) >= 0 && hex(v.charAt(i + 2)) >= 0) {
                out.write(hex(v.charAt(i + 1)) << 4 | hex(v.charAt(i + 2)));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    /** The named charset, UTF-8 for an empty or unknown name (a name is a hint here, not a promise). */
    private static Charset charset(String name) {
        try {
            return name.isBlank() ? StandardCharsets.UTF_8 : Charset.forName(name.strip());
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
