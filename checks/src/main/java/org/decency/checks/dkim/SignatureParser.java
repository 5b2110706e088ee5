package org.decency.checks.dkim;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads a DKIM-Signature field (RFC 6376 3.5 and 6.1.1). What RFC 6376 says a verifier
 * ignores gives {@link DkimResult#NONE}: a version other than 1 (a missing v= and the
 * drafts' 0.5 are read as 1, as Mail::DKIM does), an unknown algorithm, canonicalization or
 * query method, an i= outside d=. A syntax error or a missing required tag gives
 * {@link DkimResult#PERMERROR}, and so does an h= without From.
 */
public final class SignatureParser {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    private SignatureParser() {}

    public static DkimSignature parse(RawField field) throws UnusableSignature {
        TagList tags;
        try {
            tags = TagList.parse(field.value());
        } catch (DkimSyntaxException e) {
            throw new UnusableSignature(new SignatureResult(DkimResult.PERMERROR, "syntax: " + e.getMessage(), "", "", "", "", "", false));
        }
        Claimed claimed = Claimed.of(tags);
        String v = tags.get("v");
        if (v != null && !v.equals("1") && !v.equals("0.5")) throw claimed.ignored("version v=" + TagList.printable(v) + " is not supported");
        String a = tags.get("a");
        if (a == null) throw claimed.broken("missing a=");
        DkimAlgorithm algorithm = DkimAlgorithm.of(a).orElseThrow(() -> claimed.ignored("unknown algorithm " + TagList.printable(a)));
        Canonicalization[] c = Canonicalization.pair(tags.get("c"))
                .orElseThrow(() -> claimed.ignored("unknown canonicalization " + TagList.printable(tags.get("c"))));
        String q = tags.get("q");
        if (q != null && !hasDnsTxt(q)) throw claimed.ignored("unknown query method " + TagList.printable(q));
        for (String required : List.of("b", "bh", "d", "h", "s")) {
            if (!tags.has(required)) throw claimed.broken("missing " + required + "=");
        }
        String domain = tags.get("d").toLowerCase(Locale.ROOT);
        if (!isName(domain)) throw claimed.broken("d= is no domain name");
        String selector = tags.get("s").toLowerCase(Locale.ROOT);
        if (!isName(selector)) throw claimed.broken("s= is no selector");
        List<String> headers = headerNames(tags.get("h"), claimed);
        byte[] bodyHash = base64(tags.get("bh"), "bh=", claimed);
        byte[] signature = base64(tags.get("b"), "b=", claimed);
        long length = number(tags, "l", claimed);
        long timestamp = number(tags, "t", claimed);
        long expiry = number(tags, "x", claimed);
        if (timestamp >= 0 && expiry >= 0 && expiry < timestamp) throw claimed.broken("x= is before t=");
        String identity = identity(tags.get("i"), domain, claimed);
        return new DkimSignature(field, algorithm, c[0], c[1], domain, selector, headers, bodyHash, signature, length,
                timestamp, expiry, identity, claimed.bPrefix());
    }

    static boolean isName(String s) {
        return s.length() <= 253 && NAME.matcher(s).matches();
    }

    private static boolean hasDnsTxt(String q) {
        for (String method : q.split(":")) {
            String m = TagList.compact(method).toLowerCase(Locale.ROOT);
            if (m.equals("dns/txt") || m.equals("dns")) return true; // "dns": the drafts' name
        }
        return false;
    }

    private static List<String> headerNames(String h, Claimed claimed) throws UnusableSignature {
        List<String> names = new ArrayList<>();
        for (String n : h.split(":", -1)) {
            String name = TagList.compact(n);
            if (name.isEmpty() || name.chars().anyMatch(ch -> ch <= 32 || ch >= 127)) throw claimed.broken("h= has a bad field name");
            names.add(name);
        }
        if (names.stream().noneMatch(n -> n.equalsIgnoreCase("from"))) throw claimed.broken("h= does not sign From");
        return names;
    }

    private static byte[] base64(String value, String tag, Claimed claimed) throws UnusableSignature {
        try {
            byte[] b = Base64.getDecoder().decode(TagList.compact(value));
            if (b.length == 0) throw claimed.broken(tag + " is empty");
            return b;
        } catch (IllegalArgumentException e) {
            throw claimed.broken(tag + " is not base64");
        }
    }

    private static long number(TagList tags, String tag, Claimed claimed) throws UnusableSignature {
        String v = tags.get(tag);
        if (v == null) return -1;
        if (!DIGITS.matcher(v).matches()) throw claimed.broken(tag + "= is not a number");
        return Long.parseLong(v);
    }

    /** i= decoded from dkim-quoted-printable; its domain must be d= or below it. */
    private static String identity(String i, String domain, Claimed claimed) throws UnusableSignature {
        if (i == null) return "@" + domain;
        String decoded = QuotedPrintable.decode(TagList.compact(i));
        int at = decoded.lastIndexOf('@');
        if (at < 0) throw claimed.broken("i= has no @");
        String idDomain = decoded.substring(at + 1).toLowerCase(Locale.ROOT);
        if (!idDomain.equals(domain) && !idDomain.endsWith("." + domain)) {
            throw claimed.ignored("i= " + TagList.printable(decoded) + " is not within d=" + domain);
        }
        return decoded.substring(0, at) + "@" + idDomain;
    }

    /** What a signature claims, for the report even when it cannot be used. */
    private record Claimed(String domain, String selector, String algorithm, String bPrefix) {
        static Claimed of(TagList tags) {
            String b = tags.get("b") == null ? "" : TagList.compact(tags.get("b"));
            return new Claimed(printableName(tags.get("d")), printableName(tags.get("s")),
                    printableName(tags.get("a")), b.substring(0, Math.min(8, b.length())).replaceAll("[^A-Za-z0-9+/=]", "?"));
        }

        private static String printableName(String s) {
            return s == null ? "" : TagList.printable(TagList.compact(s)).toLowerCase(Locale.ROOT);
        }

        UnusableSignature ignored(String why) {
            return with(DkimResult.NONE, "ignored: " + why);
        }

        UnusableSignature broken(String why) {
            return with(DkimResult.PERMERROR, why);
        }

        private UnusableSignature with(DkimResult r, String why) {
            return new UnusableSignature(new SignatureResult(r, why, domain, selector, algorithm, bPrefix, "", false));
        }
    }
}
