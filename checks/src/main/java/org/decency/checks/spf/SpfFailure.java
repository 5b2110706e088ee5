package org.decency.checks.spf;

/** Ends a check at once with permerror or temperror (RFC 7208 §2.6.6, §2.6.7). */
final class SpfFailure extends Exception {
    private final SpfResult result;

    private SpfFailure(SpfResult result, String why) {
        super(why, null, false, false);
        this.result = result;
    }

    static SpfFailure permerror(String why) {
        return new SpfFailure(SpfResult.PERMERROR, why);
    }

    static SpfFailure temperror(String why) {
        return new SpfFailure(SpfResult.TEMPERROR, why);
    }

    SpfResult result() {
        return result;
    }
}
