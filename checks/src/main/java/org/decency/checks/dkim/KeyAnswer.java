package org.decency.checks.dkim;

/** The key of a signature, or why there is none: {@code error} is TEMPERROR or PERMERROR then. */
record KeyAnswer(DkimKey key, DkimResult error, String why) {

    static KeyAnswer of(DkimKey key) {
        return new KeyAnswer(key, null, "");
    }

    static KeyAnswer failed(DkimResult error, String why) {
        return new KeyAnswer(null, error, why);
    }
}
