package org.decency.checks.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.core.Stage;
import org.decency.core.Transaction;

/**
 * DKIM verification of the whole mail (Stage MESSAGE): scores the mail's result (a pass of
 * any signature wins; signatures of a key in testing mode count as absent), adds the
 * domain weights of the passing signing domains, flags {@code dkim_pass} or
 * {@code dkim_fail}, and adds an Authentication-Results field. A result that rests on a
 * DNS failure is marked temporary.
 */
public final class DkimVerifyCheck implements Check {
    public static final String FLAG_PASS = "dkim_pass";
    public static final String FLAG_FAIL = "dkim_fail";

    private final String name;
    private final DkimVerifyConfig config;
    private final DkimVerifier verifier;

    public DkimVerifyCheck(String name, DkimVerifyConfig config, DkimVerifier verifier) {
        this.name = name;
        this.config = config;
        this.verifier = verifier;
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

    @Override
    public Outcome evaluate(Transaction tx, Evaluation run) throws IOException {
        if (!tx.hasMessage()) return Outcome.nothing();
        List<SignatureResult> results;
        try (InputStream in = tx.message().open()) {
            results = verifier.verify(in);
        }
        DkimResult overall = DkimSummary.overall(results, false);
        Set<String> passed = results.stream().filter(r -> r.result() == DkimResult.PASS && !r.testing())
                .map(SignatureResult::domain).collect(Collectors.toCollection(LinkedHashSet::new));
        double bonus = 0;
        for (String d : passed) bonus += config.domainWeight(d);
        List<String> flags = new ArrayList<>(1);
        if (overall == DkimResult.PASS) flags.add(FLAG_PASS);
        if (overall == DkimResult.FAIL) flags.add(FLAG_FAIL);
        if (config.addHeader()) run.edits().add("Authentication-Results", AuthenticationResults.value(config.authservId(), results));
        Score score = new Score(name, config.weight(overall) + bonus, detail(overall, results, bonus));
        Outcome o = new Outcome(List.of(score), "", flags, null);
        return DkimSummary.temporary(results) ? o.asTemporary() : o;
    }

    private static String detail(DkimResult overall, List<SignatureResult> results, double bonus) {
        StringBuilder b = new StringBuilder("Result: ").append(overall.word());
        if (results.isEmpty()) b.append("; no signature");
        for (SignatureResult r : results) b.append("; ").append(r.describe());
        if (bonus != 0) b.append("; domain weight ").append(org.decency.core.Scores.format(bonus));
        return b.toString();
    }
}
