package org.decency.checks.honeycollector;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.decency.checks.archive.MailArchiver;
import org.decency.checks.archive.PathTemplate;
import org.decency.checks.honeypot.HoneypotCheck;
import org.decency.checks.support.DryRun;
import org.decency.core.Action;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.FinalWord;
import org.decency.core.MailAddress;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;

/**
 * HoneyCollector: the Honeypot's counterpart in the Detective. A mail flagged
 * {@code honey} (the Doorman's Honeypot in collection mode, its flags forwarded with its
 * score) or sent to a trap recipient configured here is stored under {@code collect_dir},
 * with {@code train} also under {@code <collect_dir>/spam/} for the learning filters,
 * flagged {@code honey_collected} and dropped (DISCARD: 250, nothing delivered).
 *
 * <p>A mail that is also for a recipient known not to be a trap (some of its recipients
 * match the traps configured here, others do not) is collected but not dropped: the
 * real recipients still get it. With the flag alone the recipients cannot be told
 * apart, and the mail is dropped. Place the module first: a run that ends earlier never
 * reaches it.
 */
public final class HoneyCollectorCheck implements Check {
    public static final String COLLECTED = "honey_collected";

    private final String name;
    private final HoneyCollectorConfig config;
    private final MailArchiver archiver;
    private final Clock clock;

    HoneyCollectorCheck(String name, HoneyCollectorConfig config, Clock clock) {
        this.name = name;
        this.config = config;
        this.archiver = new MailArchiver(config.fsync());
        this.clock = clock;
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
    public Outcome evaluate(Transaction tx, Evaluation run) throws IOException {
        if (!tx.hasMessage() || run.hasFlag(COLLECTED)) return Outcome.nothing();
        List<MailAddress> recipients = tx.envelope().recipients();
        long traps = recipients.stream().filter(config.traps()::isTrap).count();
        boolean flagged = run.hasFlag(HoneypotCheck.HONEY);
        if (!flagged && traps == 0) return Outcome.nothing();
        if (config.maxSize().exceededBy(tx)) return Outcome.score(name, 0, config.maxSize().skipped(tx));
        String why = flagged ? "flagged honey" : traps + (traps == 1 ? " trap recipient" : " trap recipients");
        String where = DryRun.of(tx) ? "would collect to " + target(tx).dir() : "collected as " + String.join(", ", collect(tx));
        boolean realRecipients = traps > 0 && traps < recipients.size();
        Outcome o = Outcome.score(name, 0, why + "; " + where
                + (realRecipients ? "; not dropped: also for " + (recipients.size() - traps) + " other recipients" : ""))
                .withFlag(COLLECTED);
        return config.drop() && !realRecipients ? o.withFinalWord(new FinalWord(Action.DISCARD, "honey collected")) : o;
    }

    /** Writes the copies; returns their paths. */
    private List<String> collect(Transaction tx) throws IOException {
        PathTemplate.Target t = target(tx);
        List<String> stored = new ArrayList<>();
        stored.add(archiver.store(tx.message(), t.dir(), t.prefix(), clock.instant()).toString());
        if (config.train()) {
            Path spam = t.dir().resolve(HoneyCollectorConfig.TRAIN_FOLDER);
            stored.add(archiver.store(tx.message(), spam, t.prefix(), clock.instant()).toString());
        }
        return stored;
    }

    private PathTemplate.Target target(Transaction tx) {
        return config.collectDir().render(tx.sender(), tx.recipient(), ZonedDateTime.ofInstant(clock.instant(), ZoneId.systemDefault()));
    }
}
