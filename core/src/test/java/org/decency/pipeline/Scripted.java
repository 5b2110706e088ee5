package org.decency.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;
import org.decency.core.Evaluation;
import org.decency.core.FinalWord;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.core.Verdict;

/**
 * A check for pipeline tests that does what its YAML says: {@code score}, {@code message},
 * {@code flag}, {@code final} (+ {@code final_text}), {@code fail}, {@code sleep},
 * {@code blocking}, {@code stages}, {@code fail_decided}, {@code warn}. Its score detail
 * lists the flags it saw, so a test can tell what earlier checks passed on. Every check of
 * one test writes to the same {@link Journal}.
 */
final class Scripted implements CheckFactory {

    /** Which checks were asked, in order, and which heard the decision. */
    static final class Journal {
        final List<String> asked = Collections.synchronizedList(new ArrayList<>());
        final List<String> decided = Collections.synchronizedList(new ArrayList<>());
    }

    private final String moduleName;
    private final Journal journal;

    Scripted(String moduleName, Journal journal) {
        this.moduleName = moduleName;
        this.journal = journal;
    }

    @Override
    public String moduleName() {
        return moduleName;
    }

    @Override
    public Check create(String name, ConfigNode c, CheckEnvironment env) {
        double score = c.number("score", 0);
        String message = c.string("message", "");
        String flag = c.string("flag", "");
        String word = c.string("final", "");
        String wordText = c.string("final_text", "");
        boolean fail = c.bool("fail", false);
        boolean failDecided = c.bool("fail_decided", false);
        Duration sleep = c.duration("sleep", Duration.ZERO);
        boolean blocking = c.bool("blocking", false);
        String result = c.string("result", "score"); // score, nothing (no partial score), null, nan
        boolean cacheable = c.bool("cacheable", false); // cache key: the client address
        boolean temporary = c.bool("temporary", false);
        boolean deferOnFailure = c.bool("defer_on_failure", false); // as an engine wrapper with on_failure: tempfail
        Set<Stage> stages = EnumSet.noneOf(Stage.class);
        for (String s : c.strings("stages")) stages.add(Stage.valueOf(s.toUpperCase(Locale.ROOT)));
        if (stages.isEmpty()) stages.add(Stage.RCPT);
        c.child("warn").ifPresent(w -> env.warn(w, w.text()));
        c.finish();
        FinalWord finalWord = word.isEmpty() ? null : FinalWord.parse(word, wordText);

        return new Check() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Set<Stage> stages() {
                return stages;
            }

            @Override
            public boolean blocking() {
                return blocking;
            }

            @Override
            public Outcome failed(String why) {
                if (!deferOnFailure) return Check.super.failed(why);
                return Outcome.finalWord(name, new FinalWord(org.decency.core.Action.DEFER, "engine gone"), why).asTemporary();
            }

            @Override
            public Outcome evaluate(Transaction tx, Evaluation run) throws Exception {
                journal.asked.add(name);
                if (!sleep.isZero()) Thread.sleep(sleep.toMillis());
                if (fail) throw new IllegalStateException("broken on purpose");
                switch (result) {
                    case "nothing" -> { return Outcome.nothing(); }
                    case "null" -> { return null; }
                    case "nan" -> { return Outcome.score(name, Double.NaN, ""); }
                    default -> { }
                }
                Outcome o = Outcome.score(name, score, String.join(",", run.flags())).withMessage(message);
                if (temporary) o = o.asTemporary();
                if (!flag.isEmpty()) o = o.withFlag(flag);
                return finalWord == null ? o : o.withFinalWord(finalWord);
            }

            @Override
            public String cacheKey(Transaction tx) {
                return cacheable ? tx.clientAddress() : null;
            }

            @Override
            public void decided(Transaction tx, Verdict verdict) {
                journal.decided.add(name + " " + verdict.action());
                if (failDecided) throw new IllegalStateException("broken after the decision");
            }
        };
    }
}
