package org.decency.checks.dkim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the header hash of a signature covers (RFC 6376 3.7 and 5.4.2): for each name of h=
 * in order, the next field of that name from the bottom of the header up (a name listed
 * more often than the field occurs adds nothing: over-signing), canonicalized; then the
 * DKIM-Signature field itself with its b= value removed and without its final CRLF.
 */
public final class HeaderHashInput {
    private HeaderHashInput() {}

    /**
     * @param fields    the mail's header fields, top to bottom
     * @param names     h=
     * @param signature the DKIM-Signature field's text (b= still in it; removed here)
     * @param exclude   the signature's own field in {@code fields} (never selected), or null
     */
    public static byte[] build(List<RawField> fields, List<String> names, String signature, RawField exclude, Canonicalization c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        Map<String, Integer> taken = new HashMap<>();
        for (String name : names) {
            String lower = name.toLowerCase(Locale.ROOT);
            int skip = taken.merge(lower, 1, Integer::sum) - 1;
            RawField f = fromBottom(fields, lower, skip, exclude);
            if (f != null) out.writeBytes(latin1(HeaderCanonicalizer.canonicalize(f.text(), c)));
        }
        String own = HeaderCanonicalizer.canonicalize(withoutSignatureValue(signature), c);
        out.writeBytes(latin1(own.substring(0, own.length() - 2)));
        return out.toByteArray();
    }

    /** The {@code skip}-th field called {@code lower} counted from the bottom, or null. */
    private static RawField fromBottom(List<RawField> fields, String lower, int skip, RawField exclude) {
        for (int i = fields.size() - 1; i >= 0; i--) {
            RawField f = fields.get(i);
            if (f == exclude || !f.lowerName().equals(lower)) continue;
            if (skip-- == 0) return f;
        }
        return null;
    }

    /** The field with everything between {@code b=} and the next semicolon (or the end) removed. */
    public static String withoutSignatureValue(String field) {
        int colon = field.indexOf(':');
        StringBuilder out = new StringBuilder(field.length());
        out.append(field, 0, colon + 1);
        int start = colon + 1;
        while (start <= field.length()) {
            int end = field.indexOf(';', start);
            if (end < 0) end = field.length();
            String spec = field.substring(start, end);
            int eq = spec.indexOf('=');
            if (eq >= 0 && TagList.compact(spec.substring(0, eq)).equals("b")) {
                out.append(spec, 0, eq + 1);
            } else {
                out.append(spec);
            }
            if (end < field.length()) out.append(';');
            start = end + 1;
        }
        return out.toString();
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
