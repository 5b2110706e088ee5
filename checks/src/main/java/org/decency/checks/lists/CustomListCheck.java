package org.decency.checks.lists;

import java.util.EnumSet;
import java.util.Set;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.Evaluation;
import org.decency.core.FinalWord;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;

/**
 * CWL and CBL: looks the client IP, sender domain and sender address up in a custom
 * list. A CWL hit ends the run with OK and flags the mail {@code whitelisted} (later
 * checks and the Detective skip it); a CBL hit ends it with REJECT. Uses whatever the
 * stage knows: at CONNECT only the IP, and entries of a recipient domain only once the
 * recipient is known.
 */
public final class CustomListCheck implements Check {
    /** Set on a CWL hit. */
    public static final String WHITELISTED = "whitelisted";

    private static final Set<Stage> STAGES = EnumSet.of(Stage.CONNECT, Stage.HELO, Stage.MAIL, Stage.RCPT);

    private final String name;
    private final CustomListConfig config;
    private final LiveIndex index;

    public CustomListCheck(String name, CustomListConfig config, CheckEnvironment env) {
        this.name = name;
        this.config = config;
        this.index = new LiveIndex(name, config.color().storeName(), config.modes(), config.entries(),
                env.store().lists(), env.clock());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Stage> stages() {
        return STAGES;
    }

    @Override
    public Outcome evaluate(Transaction tx, Evaluation run) {
        String hit = index.current().find(tx.connection().ip(), tx.sender(), tx.recipient().domain());
        if (hit == null) return Outcome.nothing();
        return switch (config.color()) {
            case WHITE -> Outcome.finalWord(name, FinalWord.ok(config.message()), hit).withFlag(WHITELISTED);
            case BLACK -> Outcome.finalWord(name, FinalWord.reject(config.message()), hit);
        };
    }
}
