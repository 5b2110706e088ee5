package org.decency.forward;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.decency.core.Scores;

/**
 * The Doorman's findings about one mail as the header field {@code X-Decency-Instance}
 * carries them, in the seeds' layout:
 *
 * <pre>{@code <id>|<signature>|<score>|<epoch>|<flag>,<flag>...|<detail>|<detail>...}</pre>
 *
 * The signature is {@code unsigned} or the base64url signature (no padding) over
 * {@link #signedBytes}. Flags are sorted; no field holds {@code |}, a control byte or
 * anything outside ASCII.
 *
 * @param score as written (the signature covers the text, not the number)
 */
public record InstanceHeader(String id, String signature, String score, long epoch, List<String> flags,
                             List<String> details) {

    public static final String NAME = "X-Decency-Instance";
    public static final String UNSIGNED = "unsigned";
    /**
     * Longest value: with the field name the line stays below the 998 characters a mail
     * line may have, so no MTA folds it (folding would break the signature).
     */
    public static final int MAX_VALUE = 900;
    /** Marks the signed text as ours, version 1: a signature never means anything else. */
    static final String SIGNED_PREFIX = "decency-instance-v1";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public InstanceHeader {
        flags = List.copyOf(flags);
        details = List.copyOf(details);
    }

    /** A new, unsigned header: flags sorted, every text cleaned for the header line. */
    public static InstanceHeader of(String id, double score, long epoch, Collection<String> flags, List<String> details) {
        TreeSet<String> sorted = new TreeSet<>();
        for (String f : flags) {
            String c = clean(f).replace(',', '_');
            if (!c.isEmpty()) sorted.add(c);
        }
        List<String> d = new ArrayList<>(details.size());
        for (String s : details) d.add(clean(s));
        return new InstanceHeader(id, UNSIGNED, Scores.format(score), epoch, List.copyOf(sorted), d);
    }

    /**
     * Parses a header value.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static InstanceHeader parse(String value) {
        String[] f = value.strip().split("\\|", -1);
        if (f.length < 5) throw new IllegalArgumentException("expected <id>|<signature>|<score>|<epoch>|<flags>|<details>..., got " + f.length + " fields");
        if (!ID.matcher(f[0]).matches()) throw new IllegalArgumentException("bad id \"" + abbreviate(f[0]) + "\"");
        if (f[1].isEmpty()) throw new IllegalArgumentException("empty signature field");
        try {
            if (!Double.isFinite(Double.parseDouble(f[2]))) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad score \"" + abbreviate(f[2]) + "\"");
        }
        long epoch;
        try {
            epoch = Long.parseLong(f[3]);
            if (epoch < 0) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad epoch \"" + abbreviate(f[3]) + "\"");
        }
        List<String> flags = new ArrayList<>();
        for (String flag : f[4].split(",")) if (!flag.isBlank()) flags.add(flag.strip());
        List<String> details = List.of(f).subList(5, f.length);
        return new InstanceHeader(f[0], f[1], f[2], epoch, flags, details);
    }

    public boolean signed() {
        return !signature.equals(UNSIGNED);
    }

    public double scoreValue() {
        return Double.parseDouble(score);
    }

    /** The header field's value. */
    public String value() {
        return id + "|" + signature + "|" + withoutSignature().substring(id.length() + 1);
    }

    /** {@code join('|', id, score, epoch, flags, details...)}: the value without its signature field. */
    public String withoutSignature() {
        StringJoiner j = new StringJoiner("|");
        j.add(id).add(score).add(Long.toString(epoch)).add(String.join(",", flags));
        details.forEach(j::add);
        return j.toString();
    }

    /**
     * What the signature covers (UTF-8): {@code decency-instance-v1}, the client address,
     * the sender, the recipient and {@link #withoutSignature()}, one per line. The
     * envelope comes first and no part holds a line break, so no two headers and
     * envelopes give the same text.
     */
    public byte[] signedBytes(EnvelopeBinding mail) {
        return String.join("\n", SIGNED_PREFIX, mail.client(), mail.sender(), mail.recipient(), withoutSignature())
                .getBytes(StandardCharsets.UTF_8);
    }

    public InstanceHeader withSignature(String sig) {
        return new InstanceHeader(id, sig, score, epoch, flags, details);
    }

    /**
     * This header with as many details (from the first on) as fit {@link #MAX_VALUE}
     * beside a signature of {@code signatureLength} characters.
     */
    public InstanceHeader fitted(int signatureLength) {
        int length = id.length() + 1 + signatureLength + 1 + score.length() + 1 + Long.toString(epoch).length() + 1
                + String.join(",", flags).length();
        int keep = 0;
        while (keep < details.size() && length + 1 + details.get(keep).length() <= MAX_VALUE) {
            length += 1 + details.get(keep).length();
            keep++;
        }
        return keep == details.size() ? this : new InstanceHeader(id, signature, score, epoch, flags, details.subList(0, keep));
    }

    /** Control bytes become spaces, {@code |} a slash, anything outside ASCII a question mark. */
    static String clean(String s) {
        if (s == null || s.isEmpty()) return "";
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_VALUE));
        for (int i = 0; i < s.length() && b.length() < MAX_VALUE; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? ' ' : c == '|' ? '/' : c > 0x7e ? '?' : c);
        }
        return b.toString().strip();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
