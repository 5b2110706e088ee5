package org.decency.checks.support;

import java.util.Locale;

/**
 * Score codes of checks that report several findings under names of their own
 * ({@code CL_IP_NE_HELO}, the names policyd-weight logs): the plain code while the
 * module has its usual name, {@code <NAME>_<CODE>} when it was configured under another
 * {@code name:} (a second instance), so the two stay apart in logs and headers.
 */
public final class ScoreCodes {
    private ScoreCodes() {}

    public static String of(String moduleName, String usualName, String code) {
        return moduleName.equalsIgnoreCase(usualName) ? code : moduleName.toUpperCase(Locale.ROOT) + "_" + code;
    }
}
