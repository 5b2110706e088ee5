package org.decency.pipeline;

import java.util.Locale;
import org.decency.config.ConfigNode;
import org.decency.core.Action;
import org.decency.core.FinalWord;
import org.decency.core.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a module does when it cannot do its work: the module option {@code on_failure},
 * understood by every module. For any check it applies when the check throws or times out
 * (its store, Redis or PostgreSQL, is unreachable; a DNS or engine call hangs); an engine
 * wrapper (clamd, spamd, a command) also applies it when its engine is down or answers
 * nonsense. {@code skip}: the module counts 0 and the mail goes on; {@code tempfail}: the
 * mail is deferred (the Doorman answers DEFER, the Detective 451, and Postfix tries again
 * later). Either way one log line says why, and the outcome is marked temporary so no
 * result cache keeps it.
 */
public enum OnFailure {
    SKIP, TEMPFAIL;

    private static final Logger log = LoggerFactory.getLogger(OnFailure.class);

    /** {@code on_failure: skip|tempfail}, with the module's own default. */
    public static OnFailure read(ConfigNode module, OnFailure def) {
        ConfigNode n = module.child("on_failure").orElse(null);
        if (n == null) return def;
        try {
            return valueOf(n.text().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw n.error("expected skip or tempfail, got \"" + n.text() + "\"");
        }
    }

    /**
     * The outcome for a failed module.
     *
     * @param code the module's score code
     * @param what what failed, e.g. {@code clamd 127.0.0.1:3310: connection refused}, {@code error: StoreUnavailableException}
     */
    public Outcome outcome(String code, String what) {
        if (this == TEMPFAIL) {
            log.warn("{}: {}; the mail is deferred (on_failure: tempfail)", code, what);
            return Outcome.finalWord(code, new FinalWord(Action.DEFER, "4.3.0 " + code + " is not available, try again later"),
                    "failed: " + what).asTemporary();
        }
        log.warn("{}: {}; the module is skipped (on_failure: skip)", code, what);
        return Outcome.score(code, 0, "skipped: " + what).asTemporary();
    }
}
