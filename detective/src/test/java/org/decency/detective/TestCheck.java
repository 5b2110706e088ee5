package org.decency.detective;

import java.util.List;
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
import org.decency.message.MimeStructure;

/**
 * A MESSAGE-stage check for the Detective's tests that does what its YAML says:
 * {@code score}, {@code flag} (e.g. {@code virus=EICAR}), {@code final} (+ {@code final_text}),
 * {@code fail} (throws), header edits {@code add}/{@code set} (lists of "Name: value"),
 * {@code remove} (names), {@code prefix} (subject), and {@code parse} (reads the header and
 * the MIME structure, as a content scanner would). Every check of a test writes what it
 * saw to the same {@link Journal}.
 */
final class TestCheck implements CheckFactory {

    /** What the checks saw: the transactions, and the MIME structures they parsed. */
    static final class Journal {
        final List<Transaction> seen = new CopyOnWriteArrayList<>();
        final List<MimeStructure> parsed = new CopyOnWriteArrayList<>();
    }

    private final String moduleName;
    private final Journal journal;

    TestCheck(String moduleName, Journal journal) {
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
        String flag = c.string("flag", "");
        String word = c.string("final", "");
        String wordText = c.string("final_text", "");
        boolean fail = c.bool("fail", false);
        boolean parse = c.bool("parse", false);
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
                return Set.of(Stage.MESSAGE);
            }

            @Override
            public Outcome evaluate(Transaction tx, Evaluation run) {
                journal.seen.add(tx);
                if (parse) {
                    tx.message().headers();
                    journal.parsed.add(tx.message().structure());
                }
                if (fail) throw new IllegalStateException("broken on purpose");
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
