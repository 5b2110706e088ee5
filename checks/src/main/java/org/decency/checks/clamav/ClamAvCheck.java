package org.decency.checks.clamav;

import java.io.IOException;
import java.util.Set;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;

/**
 * ClamAV: each mail is streamed to clamd ({@code zINSTREAM} over a reused session, see
 * {@link Clamd}), which unpacks MIME and archives itself. A virus gives the flag {@code
 * virus=<signature>}, on which the Detective acts with its {@code virus:} handling, and
 * {@code weight_virus} (default 0). A clean mail scores 0. When clamd is down, times out
 * or answers with an error (a mail longer than its {@code StreamMaxLength}), {@code
 * on_failure} decides: tempfail (the default) defers the mail, so Postfix keeps it and
 * tries again, skip lets it pass unscanned. Mails larger than {@code max_size} are not
 * scanned.
 */
public final class ClamAvCheck implements Check, AutoCloseable {
    public static final String VIRUS_FLAG = "virus=";

    private final String name;
    private final ClamAvConfig config;
    private final Clamd clamd;

    ClamAvCheck(String name, ClamAvConfig config) {
        this.name = name;
        this.config = config;
        this.clamd = new Clamd(config.clamd(), config.timeout());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Stage> stages() {
        return Set.of(Stage.MESSAGE);
    }

    @Override
    public boolean blocking() {
        return true;
    }

    Clamd clamd() {
        return clamd;
    }

    ClamAvConfig config() {
        return config;
    }

    @Override
    public Outcome evaluate(Transaction tx, Evaluation run) {
        if (!tx.hasMessage()) return Outcome.nothing();
        if (config.maxSize().exceededBy(tx)) return Outcome.score(name, 0, config.maxSize().skipped(tx));
        ClamdReply reply;
        try {
            reply = clamd.scan(tx.message()::open);
        } catch (IOException e) {
            return failure(Clamd.describe(e));
        }
        return switch (reply.kind()) {
            case CLEAN -> Outcome.score(name, 0, "clean");
            case VIRUS -> Outcome.score(name, config.weightVirus(), "Virus found: " + reply.text()).withFlag(VIRUS_FLAG + reply.text());
            case ERROR -> failure(reply.text());
        };
    }

    /** The pipeline gave up on the scan (the module's timeout): as any failure of clamd, on_failure decides. */
    @Override
    public Outcome failed(String why) {
        return failure(why);
    }

    private Outcome failure(String what) {
        return config.onFailure().outcome(name, "clamd " + config.clamd() + ": " + what);
    }

    /** Ends the idle clamd sessions. */
    @Override
    public void close() {
        clamd.close();
    }
}
