package org.decency.checks.dkim;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Reads a DKIM key record (RFC 6376 3.6.1): v= must be DKIM1 when given, k= rsa (the
 * default) or ed25519, p= the key (empty: revoked), s= must allow email, h= and t= are
 * lists, unknown tags and flags are ignored. Every problem is a {@link DkimSyntaxException}
 * whose message says what is wrong with the key.
 */
public final class KeyRecordParser {
    private KeyRecordParser() {}

    public static DkimKey parse(String record) throws DkimSyntaxException {
        TagList tags;
        try {
            tags = TagList.parse(record);
        } catch (DkimSyntaxException e) {
            throw new DkimSyntaxException("key syntax error: " + e.getMessage());
        }
        String v = tags.get("v");
        if (v != null && !v.equals("DKIM1")) throw new DkimSyntaxException("key version v=" + TagList.printable(v) + " is not DKIM1");
        String type = tags.has("k") ? tags.get("k").toLowerCase(Locale.ROOT) : "rsa";
        if (!type.equals("rsa") && !type.equals("ed25519")) throw new DkimSyntaxException("unknown key type k=" + TagList.printable(type));
        List<String> services = list(tags.get("s"));
        if (!services.isEmpty() && !services.contains("*") && !services.contains("email")) {
            throw new DkimSyntaxException("key is not for email (s=" + TagList.printable(tags.get("s")) + ")");
        }
        List<String> flags = list(tags.get("t"));
        if (!tags.has("p")) throw new DkimSyntaxException("key record has no p=");
        String p = TagList.compact(tags.get("p"));
        if (p.isEmpty()) throw new DkimSyntaxException("key revoked (empty p=)");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(p);
        } catch (IllegalArgumentException e) {
            throw new DkimSyntaxException("key p= is not base64");
        }
        PublicKey key = type.equals("rsa") ? PublicKeys.rsa(der) : PublicKeys.ed25519(der);
        String g = tags.get("g");
        return new DkimKey(type, key, list(tags.get("h")), flags.contains("y"), flags.contains("s"), g);
    }

    /** A colon-separated list, lower-cased, blanks removed; empty when absent. */
    private static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) return out;
        for (String item : value.split(":")) {
            String s = TagList.compact(item).toLowerCase(Locale.ROOT);
            if (!s.isEmpty()) out.add(s);
        }
        return out;
    }
}
