package org.decency.checks.mimeattribs;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.decency.checks.support.ScoreCodes;
import org.decency.core.Action;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.FinalWord;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.message.MimePart;
import org.decency.message.MimeStructure;

/**
 * MimeAttribs: scores a mail by the facts of its MIME structure (see {@link MimeRule}):
 * one score per rule that found something, its detail naming the files; a rule set to
 * {@code reject} or {@code quarantine} ends the run (a reject wins over a quarantine).
 * Also makes the seeds' header changes ({@link HeaderEdits}). Looks only at what the
 * parser kept of each part (type, name, size, first bytes), never at whole bodies.
 */
public final class MimeAttribsCheck implements Check {
    static final String USUAL_NAME = "MimeAttribs";
    private static final int DETAILS_SHOWN = 5;

    private final String name;
    private final MimeAttribsConfig config;
    private final PartInspector parts;
    private final StructureInspector structure;

    MimeAttribsCheck(String name, MimeAttribsConfig config) {
        this.name = name;
        this.config = config;
        this.parts = new PartInspector(config.extensions());
        this.structure = new StructureInspector(config);
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
    public Outcome evaluate(Transaction tx, Evaluation run) {
        if (!tx.hasMessage()) return Outcome.nothing();
        if (config.maxSize().exceededBy(tx)) return Outcome.score(name, 0, config.maxSize().skipped(tx));
        config.headers().apply(tx.message(), run.edits());
        return outcome(findings(tx.message().structure()));
    }

    List<Finding> findings(MimeStructure s) {
        List<MimePart> all = s.parts();
        List<Finding> out = new ArrayList<>(structure.inspect(s, all));
        for (MimePart p : all) out.addAll(parts.inspect(p));
        return out;
    }

    private Outcome outcome(List<Finding> findings) {
        Map<MimeRule, List<String>> byRule = new EnumMap<>(MimeRule.class);
        for (Finding f : findings) {
            if (config.rule(f.rule()).enabled()) byRule.computeIfAbsent(f.rule(), r -> new ArrayList<>()).add(f.detail());
        }
        if (byRule.isEmpty()) return Outcome.nothing();
        List<Score> scores = new ArrayList<>();
        FinalWord word = null;
        for (var e : byRule.entrySet()) {
            RuleSetting setting = config.rule(e.getKey());
            String code = ScoreCodes.of(name, USUAL_NAME, e.getKey().code);
            String detail = summary(e.getValue());
            scores.add(new Score(code, setting.score(), detail));
            FinalWord w = setting.finalWord(setting.message().isEmpty() ? text(setting, code, detail) : setting.message());
            if (w != null && (word == null || (word.action() == Action.HOLD && w.action() == Action.REJECT))) word = w;
        }
        return new Outcome(scores, "", List.of(), word);
    }

    private static String text(RuleSetting setting, String code, String detail) {
        return setting.action() == RuleSetting.Verb.REJECT ? "Message refused (" + code + "): " + detail : code + ": " + detail;
    }

    private static String summary(List<String> details) {
        // the same file can be found twice (an archive's entry and its name): say it once
        List<String> distinct = details.stream().distinct().toList();
        String shown = String.join("; ", distinct.subList(0, Math.min(DETAILS_SHOWN, distinct.size())));
        return distinct.size() > DETAILS_SHOWN ? shown + "; and " + (distinct.size() - DETAILS_SHOWN) + " more" : shown;
    }
}
