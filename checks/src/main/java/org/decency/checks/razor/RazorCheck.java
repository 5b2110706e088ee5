package org.decency.checks.razor;

import org.decency.checks.engine.CommandCheck;
import org.decency.checks.engine.EngineCommand;
import org.decency.core.Outcome;

/**
 * Razor: razor-check looks the mail's signatures up in the Razor network. Exit status 0
 * (catalogued: spam) gives {@code weight_spam} and the flag {@code spam}, 1 (not
 * catalogued) {@code weight_innocent}. Any other status is razor-check's error (2 when the
 * Razor servers cannot be reached) and goes to {@code on_failure}: the original counted
 * every non-zero status as ham, which made every mail good while the network was away.
 * Razor does not learn here.
 */
public final class RazorCheck extends CommandCheck {

    RazorCheck(String name, RazorConfig config) {
        super(name, config.settings());
    }

    @Override
    protected Outcome verdict(EngineCommand.Result r) throws BadAnswer {
        String prog = settings.check().programName();
        return switch (r.exit()) {
            case 0 -> Outcome.score(name, settings.weights().spam(), prog + ": catalogued as spam (exit 0)").withFlag(SPAM_FLAG);
            case 1 -> Outcome.score(name, settings.weights().innocent(), prog + ": not catalogued (exit 1)");
            default -> throw new BadAnswer(r.describe());
        };
    }
}
