package org.decency.checks.spf;

/**
 * What an SPF check found.
 *
 * @param explanation    for {@code fail} only: the domain's {@code exp=} text or the default explanation
 * @param domainExplains true when the explanation came from the domain's {@code exp=}
 * @param why            for logs: which mechanism matched, or what went wrong
 * @param byDefault      a {@code neutral} because no mechanism matched (Mail::SPF's neutral-by-default)
 */
public record SpfVerdict(SpfResult result, String explanation, boolean domainExplains, String why, boolean byDefault) {

    public SpfVerdict {
        explanation = explanation == null ? "" : explanation;
        why = why == null ? "" : why;
    }

    static SpfVerdict of(SpfResult result, String why) {
        return new SpfVerdict(result, "", false, why, false);
    }
}
