package org.decency.checks.dnsbl;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.dns.Dns;
import org.decency.dns.DnsType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a module's lists, all at once, and scores what they say; the common part of
 * DNSBL and RHSBL, which only differ in the questions they ask.
 *
 * <p>The wait ends when every list answered, when the module's wait budget is spent
 * (a list that has not answered by then counts 0, as an error), or as soon as the
 * outcome is certain: a harsh hit, {@code max_hits} or {@code max_score} reached
 * (the check rejects), or the run's total with this check's scores at or below the
 * threshold (the pipeline rejects; as the seeds' DNSBL stopped querying). Lists that
 * keep failing are skipped for a while ({@link ListHealth}).
 */
public final class Blocklists {
    private static final Logger log = LoggerFactory.getLogger(Blocklists.class);

    private final String check;
    private final List<Blocklist> lists;
    private final List<ListHealth> health;
    private final BlocklistOptions options;
    private final Dns dns;

    public Blocklists(String check, List<Blocklist> lists, BlocklistOptions options, Dns dns, Clock clock) {
        this.check = check;
        this.lists = List.copyOf(lists);
        this.options = options;
        this.dns = dns;
        this.health = this.lists.stream()
                .map(l -> new ListHealth(check + ": list " + l.zone(), options.errorSkip(), options.skipRelease(), clock))
                .toList();
    }

    public List<Blocklist> lists() {
        return lists;
    }

    /** Asks {@code questions} (lists that are skipped for now are left out) and scores the answers. */
    public Outcome evaluate(List<Question> questions, Evaluation run) throws InterruptedException {
        long deadline = System.nanoTime() + options.budget().toNanos();
        Tally tally = new Tally(lists);
        List<Question> asked = unskipped(questions, tally);
        List<Integer> lost = ParallelQueries.ask(dns, asked.stream().map(Question::name).toList(), DnsType.A, deadline,
                (i, answer) -> {
                    Question q = asked.get(i);
                    tally.record(q, lists.get(q.list()).codes().classify(answer));
                    return rejectReason(tally) != null || run.total() + tally.total() <= run.threshold();
                });
        for (int i : lost) tally.lost(asked.get(i));
        updateHealth(tally);
        String reject = rejectReason(tally);
        if (reject != null) log.debug("{}: rejects at once: {}", check, reject);
        Map<Integer, String> reasons = TxtReasons.fetch(dns, txtNames(tally), deadline);
        return TallyOutcome.of(check, lists, tally, reject != null, reasons);
    }

    private List<Question> unskipped(List<Question> questions, Tally tally) {
        Boolean[] skip = new Boolean[lists.size()];
        List<Question> asked = new ArrayList<>(questions.size());
        for (Question q : questions) {
            int l = q.list();
            if (skip[l] == null) skip[l] = health.get(l).skipped();
            if (skip[l]) {
                tally.skip(l);
            } else {
                tally.asked(l);
                asked.add(q);
            }
        }
        return asked;
    }

    private void updateHealth(Tally tally) {
        for (int i = 0; i < lists.size(); i++) {
            if (tally.failed(i)) {
                log.debug("{}: list {} failed: {}", check, lists.get(i).zone(), tally.errors(i));
                health.get(i).failed(tally.errors(i));
            } else if (tally.answered(i)) {
                health.get(i).answered();
            }
        }
    }

    /** Why the check rejects at once, or null. */
    private String rejectReason(Tally t) {
        if (t.harshHit()) return "a hit on a harsh list";
        if (options.maxHits() > 0 && t.spamHits() >= options.maxHits()) return t.spamHits() + " lists hit (max_hits " + options.maxHits() + ")";
        if (options.maxScore() < 0 && t.spamScore() <= options.maxScore()) return "hits add up to " + t.spamScore() + " (max_score " + options.maxScore() + ")";
        return null;
    }

    private Map<Integer, String> txtNames(Tally t) {
        Map<Integer, String> names = new LinkedHashMap<>();
        for (int i = 0; i < lists.size(); i++) {
            if (t.spamListed(i) && lists.get(i).useTxt()) names.put(i, t.hitName(i));
        }
        return names;
    }
}
