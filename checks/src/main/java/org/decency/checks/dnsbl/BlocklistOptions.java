package org.decency.checks.dnsbl;

import java.time.Duration;
import org.decency.config.ConfigNode;
import org.decency.pipeline.ModuleOptions;

/**
 * The settings of a DNSBL or RHSBL module that concern all its lists:
 *
 * <pre>{@code
 * harsh: 0          # 1: a hit on any list with a negative weight rejects at once (a list's own harsh: wins)
 * use_txt: 0        # 1: the lists' TXT reasons go into the reject text (a list's own use_txt: wins)
 * max_hits: 0       # reject at once when this many lists with negative weights list the client (0: off)
 * max_score: 0      # reject at once when the hits of those lists add up to this or less, e.g. -150 (0: off)
 * error_skip: 3     # a list that failed this many times in a row ... (0: never skip)
 * skip_release: 10m # ... is not asked for this long
 * }</pre>
 *
 * <p>policyd-weight counts spam positive and rejects when MAXDNSBLHITS is exceeded; here
 * spam is negative and a limit rejects when reached: its MAXDNSBLHITS 2 is {@code max_hits: 3},
 * its MAXDNSBLSCORE 8 about {@code max_score: -8}. Its BL_ERROR_SKIP and BL_SKIP_RELEASE count
 * requests; {@code error_skip} counts failures and {@code skip_release} is a duration.
 *
 * @param budget how long a check waits for its lists: nine tenths of the module's {@code timeout},
 *             so the pipeline never cuts the check off and loses the answers that came
 */
public record BlocklistOptions(boolean harsh, boolean useTxt, int maxHits, double maxScore,
                               int errorSkip, Duration skipRelease, Duration budget) {

    public static final int DEFAULT_ERROR_SKIP = 3;
    public static final Duration DEFAULT_SKIP_RELEASE = Duration.ofMinutes(10);

    public static BlocklistOptions read(ConfigNode n) {
        boolean harsh = n.bool("harsh", false);
        boolean useTxt = n.bool("use_txt", false);
        int maxHits = n.integer("max_hits", 0);
        if (maxHits < 0) throw n.required("max_hits").error("expected 0 (off) or more");
        double maxScore = n.number("max_score", 0);
        if (maxScore > 0) {
            throw n.required("max_score").error("must be 0 (off) or negative: spam scores are negative here"
                    + " (policyd-weight's MAXDNSBLSCORE 8 is about max_score: -8), got " + maxScore);
        }
        int errorSkip = n.integer("error_skip", DEFAULT_ERROR_SKIP);
        if (errorSkip < 0) throw n.required("error_skip").error("expected 0 (never skip) or more");
        Duration release = n.duration("skip_release", DEFAULT_SKIP_RELEASE);
        if (release.isZero()) throw n.required("skip_release").error("must be more than 0");
        Duration timeout = n.duration("timeout", ModuleOptions.DEFAULT_TIMEOUT);
        return new BlocklistOptions(harsh, useTxt, maxHits, maxScore, errorSkip, release, timeout.multipliedBy(9).dividedBy(10));
    }
}
