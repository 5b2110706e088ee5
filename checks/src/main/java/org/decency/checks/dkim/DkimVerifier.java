package org.decency.checks.dkim;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.decency.dns.Dns;

/**
 * Verifies the DKIM signatures of a raw mail (RFC 6376 6, RFC 8301, RFC 8463), reading it
 * once as a stream: the header fields are kept as bytes, the key lookups are sent, then the
 * body runs through the canonicalizers into the digests, never held whole in memory.
 * Returns one result per DKIM-Signature field, top to bottom; an empty list when unsigned.
 */
public final class DkimVerifier {
    static final int MAX_HEADER_BYTES = 1024 * 1024;

    private final Dns dns;
    private final VerifierPolicy policy;

    public DkimVerifier(Dns dns, VerifierPolicy policy) {
        this.dns = dns;
        this.policy = policy;
    }

    public VerifierPolicy policy() {
        return policy;
    }

    /** Verifies the mail read from {@code raw} (header, blank line, body); the caller closes it. */
    public List<SignatureResult> verify(InputStream raw) throws IOException {
        InputStream mail = buffered(raw);
        RawHeader head = RawHeader.read(mail, MAX_HEADER_BYTES);
        List<RawField> fields = head.fields().stream().filter(f -> f.is("DKIM-Signature")).toList();
        if (fields.isEmpty()) return List.of();
        KeyLookup keys = new KeyLookup(dns, policy.budget());
        BodyHashes body = new BodyHashes();
        List<Object> checks = new ArrayList<>(fields.size()); // a DkimSignature to verify, or its SignatureResult
        for (int i = 0; i < fields.size(); i++) {
            Object check = first(fields.get(i), i, head.truncated());
            if (check instanceof DkimSignature sig) {
                keys.start(sig.keyName());
                body.want(sig.bodyCanon(), sig.algorithm(), sig.bodyLength());
            }
            checks.add(check);
        }
        body.read(mail);
        List<SignatureResult> results = new ArrayList<>(checks.size());
        for (Object check : checks) {
            results.add(check instanceof DkimSignature sig ? verify(sig, head, keys, body) : (SignatureResult) check);
        }
        return results;
    }

    /** The header is read byte by byte: that needs a buffer under it. */
    static InputStream buffered(InputStream in) {
        return in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 65536);
    }

    /** What can be decided before DNS and body: syntax, expiry, algorithm policy, the limit. */
    private Object first(RawField field, int index, boolean truncated) {
        DkimSignature sig;
        try {
            sig = SignatureParser.parse(field);
        } catch (UnusableSignature e) {
            return index < policy.maxSignatures() ? e.result() : e.result().with(DkimResult.NEUTRAL, notChecked());
        }
        if (index >= policy.maxSignatures()) return sig.result(DkimResult.NEUTRAL, notChecked(), false);
        if (truncated) return sig.result(DkimResult.PERMERROR, "header longer than " + MAX_HEADER_BYTES + " bytes", false);
        long now = policy.clock().instant().getEpochSecond();
        if (sig.expiry() >= 0 && sig.expiry() < now) {
            return sig.result(DkimResult.NONE, "ignored: expired at " + Instant.ofEpochSecond(sig.expiry()), false);
        }
        if (sig.algorithm() == DkimAlgorithm.RSA_SHA1 && !policy.allowSha1()) {
            return sig.result(DkimResult.POLICY, "rsa-sha1 is not accepted (RFC 8301)", false);
        }
        return sig;
    }

    private String notChecked() {
        return "not checked: more than " + policy.maxSignatures() + " signatures";
    }

    private SignatureResult verify(DkimSignature sig, RawHeader head, KeyLookup keys, BodyHashes body) {
        KeyAnswer answer = keys.await(sig.keyName());
        if (answer.key() == null) return sig.result(answer.error(), answer.why(), false);
        DkimKey key = answer.key();
        boolean testing = key.testing();
        String unusable = unusable(sig, key);
        if (unusable != null) return sig.result(DkimResult.PERMERROR, unusable, testing);
        if (sig.algorithm().isRsa() && key.bits() < policy.minRsaBits()) {
            return sig.result(DkimResult.POLICY, "RSA key of " + key.bits() + " bits, under " + policy.minRsaBits() + " (RFC 8301)", testing);
        }
        long limit = sig.bodyLength();
        if (limit >= 0 && body.length(sig.bodyCanon(), sig.algorithm(), limit) < limit) {
            return sig.result(DkimResult.FAIL, "body shorter than l=" + limit, testing);
        }
        if (!MessageDigest.isEqual(body.hash(sig.bodyCanon(), sig.algorithm(), limit), sig.bodyHash())) {
            return sig.result(DkimResult.FAIL, "body hash mismatch", testing);
        }
        byte[] data = HeaderHashInput.build(head.fields(), sig.signedHeaders(), sig.field().text(), sig.field(), sig.headerCanon());
        try {
            boolean ok = SignatureCrypto.verify(sig.algorithm(), key.key(), data, sig.signature());
            return ok ? sig.result(DkimResult.PASS, "", testing) : sig.result(DkimResult.FAIL, "signature mismatch", testing);
        } catch (GeneralSecurityException e) {
            return sig.result(DkimResult.PERMERROR, "key unusable: " + e.getMessage(), testing);
        }
    }

    /** Why the key may not verify this signature (RFC 6376 6.1.2), or null. */
    private static String unusable(DkimSignature sig, DkimKey key) {
        if (!key.type().equals(sig.algorithm().keyType())) return "key type " + key.type() + " does not fit a=" + sig.algorithm().word();
        if (!key.allows(sig.algorithm())) return "key does not allow " + sig.algorithm().hashName() + " (h=)";
        if (key.strict() && !sig.identityDomain().equals(sig.domain())) return "key allows no subdomain in i= (t=s)";
        if (!key.granted(sig.identityLocalPart())) return "key's g= does not match i=";
        return null;
    }
}
