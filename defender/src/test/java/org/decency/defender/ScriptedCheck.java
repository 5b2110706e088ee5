package org.decency.defender;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;
import org.decency.core.Evaluation;
import org.decency.core.FinalWord;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;

/**
 * A check for the Defender's tests that does what its YAML says: {@code stages} (default
 * {@code [message]}), {@code score}, {@code flag} (e.g. {@code virus=EICAR}), {@code final}
 * (+ {@code final_text}), {@code fail} (throws), {@code sleep} (a slow check), header edits {@code add}/{@code set}
 * (lists of "Name: value"), {@code remove} (names) and {@code prefix} (subject). Every
 * transaction it sees, and the mail as it read it, goes to the test's {@link Journal}.
 */
final class ScriptedCheck implements CheckFactory {

    /** What the checks saw. */
    static final class Journal {
        final List<Transaction> seen = new CopyOnWriteArrayList<>();
        final List<String> mails = new CopyOnWriteArrayList<>();
    }

    private final String moduleName;
    private final Journal journal;

    ScriptedCheck(String moduleName, Journal journal) {
        this.moduleName = moduleName;
        this.journal = journal;
    }

    @Override
    public String moduleName() {
        return moduleName;
    }

    @Override
    public Check create(String name, ConfigNode c, CheckEnvironment env) {
        Set<Stage> stages = EnumSet.noneOf(Stage.class);
        for (String s : c.strings("stages")) stages.add(Stage.valueOf(s.toUpperCase(Locale.ROOT)));
        if (stages.isEmpty()) stages.add(Stage.MESSAGE);
        double score = c.number("score", 0);
        String flag = c.string("flag", "");
        String word = c.string("final", "");
        String wordText = c.string("final_text", "");
        boolean fail = c.bool("fail", false);
        java.time.Duration sleep = c.duration("sleep", java.time.Duration.ZERO);
        List<String> add = c.strings("add");
        List<String> set = c.strings("set");
        List<String> remove = c.strings("remove");
        String prefix = c.string("prefix", "");
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
            public Outcome evaluate(Transaction tx, Evaluation run) {
                journal.seen.add(tx);
                if (tx.hasMessage()) {
                    try (InputStream in = tx.message().open()) {
                        journal.mails.add(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                if (fail) throw new IllegalStateException("broken on purpose");
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (String f : add) run.edits().add(f.substring(0, f.indexOf(':')), f.substring(f.indexOf(':') + 1).strip());
                for (String f : set) run.edits().set(f.substring(0, f.indexOf(':')), f.substring(f.indexOf(':') + 1).strip());
                for (String f : remove) run.edits().remove(f);
                if (!prefix.isEmpty()) run.edits().prefixSubject(prefix);
                Outcome o = Outcome.score(name, score, "");
                if (!flag.isEmpty()) o = o.withFlag(flag);
                return finalWord == null ? o : o.withFinalWord(finalWord);
            }
        };
    }
}
