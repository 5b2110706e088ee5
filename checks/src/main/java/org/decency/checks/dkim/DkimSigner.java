package org.decency.checks.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Makes the DKIM-Signature of a raw mail (RFC 6376 5), reading it once as a stream: the
 * header fields are kept, the body goes through the canonicalizer into the digest. Signs
 * each listed header field that is present (every occurrence), and From once more than it
 * occurs (over-signing: a From added later breaks the signature). The value comes folded
 * and must be written as it is, after {@code DKIM-Signature: }.
 */
public final class DkimSigner {
    static final String FIELD = "DKIM-Signature";

    /**
     * @param headerCanon the header canonicalization
     * @param bodyCanon   the body canonicalization
     * @param headers     the names of the fields to sign, when present
     */
    public record Settings(Canonicalization headerCanon, Canonicalization bodyCanon, List<String> headers) {
        public Settings {
            headers = List.copyOf(headers);
        }
    }

    private DkimSigner() {}

    /** The value of a DKIM-Signature field for the mail read from {@code mail}, made at {@code now} (epoch seconds). */
    public static String sign(InputStream raw, SigningKey key, Settings settings, long now)
            throws IOException, GeneralSecurityException {
        InputStream mail = DkimVerifier.buffered(raw);
        RawHeader head = RawHeader.read(mail, DkimVerifier.MAX_HEADER_BYTES);
        if (head.truncated()) throw new IOException("the header is longer than " + DkimVerifier.MAX_HEADER_BYTES + " bytes");
        DigestSink body = new DigestSink(key.algorithm().digest(), -1);
        try (BodyCanonicalizer canon = new BodyCanonicalizer(settings.bodyCanon(), body)) {
            mail.transferTo(canon);
        }
        List<String> names = signedNames(head, settings.headers());
        FoldedField value = new FoldedField(FIELD.length() + 2)
                .add("v=1;").add("a=" + key.algorithm().word() + ";")
                .add("c=" + settings.headerCanon().word() + "/" + settings.bodyCanon().word() + ";")
                .add("d=" + key.domain() + ";").add("s=" + key.selector() + ";").add("t=" + now + ";");
        for (int i = 0; i < names.size(); i++) {
            String piece = names.get(i) + (i == names.size() - 1 ? ";" : ":");
            if (i == 0) value.add("h=" + piece);
            else value.append(piece);
        }
        value.add("bh=" + Base64.getEncoder().encodeToString(body.hash()) + ";").add("b=");
        String unsigned = value.toString();
        byte[] data = HeaderHashInput.build(head.fields(), names, FIELD + ": " + unsigned, null, settings.headerCanon());
        byte[] signature = SignatureCrypto.sign(key.algorithm(), key.key(), data);
        return value.spread(Base64.getEncoder().encodeToString(signature)).toString();
    }

    /** Each configured name as often as its field occurs; From once more. */
    static List<String> signedNames(RawHeader head, List<String> configured) {
        List<String> names = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        List<String> all = new ArrayList<>(configured);
        if (all.stream().noneMatch(n -> n.equalsIgnoreCase("From"))) all.addFirst("From");
        for (String name : all) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (seen.contains(lower)) continue;
            seen.add(lower);
            long count = head.fields().stream().filter(f -> f.is(name)).count();
            if (lower.equals("from")) count++;
            for (long i = 0; i < count; i++) names.add(name);
        }
        return names;
    }
}
