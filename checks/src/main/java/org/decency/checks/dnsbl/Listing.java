package org.decency.checks.dnsbl;

import java.util.List;

/**
 * What one list's answer about one name means.
 *
 * @param weight  the score of a listing (0 otherwise)
 * @param codes   the return codes that made the listing
 * @param problem why an answer counts as an error (empty otherwise)
 */
public record Listing(Kind kind, double weight, List<String> codes, String problem) {

    public enum Kind {
        /** Listed: {@code weight} counts. */
        LISTED,
        /** A definite "not listed" (NXDOMAIN, NODATA, or only codes the list's settings ignore). */
        NOT_LISTED,
        /** The list failed, did not answer in time or answered nonsense: counts 0. */
        ERROR,
        /** The name cannot be asked (too long for DNS): as if not asked. */
        UNASKABLE
    }

    public Listing {
        codes = List.copyOf(codes);
        problem = problem == null ? "" : problem;
    }

    public static Listing listed(double weight, List<String> codes) {
        return new Listing(Kind.LISTED, weight, codes, "");
    }

    public static Listing notListed() {
        return new Listing(Kind.NOT_LISTED, 0, List.of(), "");
    }

    public static Listing error(String problem) {
        return new Listing(Kind.ERROR, 0, List.of(), problem);
    }

    public static Listing unaskable() {
        return new Listing(Kind.UNASKABLE, 0, List.of(), "");
    }
}
