package org.decency.checks.archive;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;
import org.decency.checks.support.DryRun;
import org.decency.core.Action;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.FinalWord;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archive: keeps a copy of each mail in {@code archive_dir} (see {@link PathTemplate}),
 * as received. Without {@code archive_spam} the copy is written once the run has
 * decided, and only for a mail it lets through: not for spam (the total at or below the
 * threshold), a virus, or a mail another module refused, held or dropped. With
 * {@code archive_spam} every mail is written at once and flagged {@code archived};
 * with {@code drop} too, and the run ends with DISCARD (the Detective answers 250 and
 * delivers nothing). A copy that cannot be written is logged; the mail goes on as if
 * there were no archive (with {@code drop} it is then delivered, not lost).
 *
 * <p>Place it first among the modules: only a module that is asked hears the decision,
 * and a run ends early at the threshold or at another module's final word.
 */
public final class ArchiveCheck implements Check {
    public static final String FLAG = "archived";
    private static final Logger log = LoggerFactory.getLogger(ArchiveCheck.class);

    private final String name;
    private final ArchiveConfig config;
    private final MailArchiver archiver;
    private final Clock clock;
    private final ArchiveRetention retention;

    ArchiveCheck(String name, ArchiveConfig config, Clock clock) {
        this.name = name;
        this.config = config;
        this.archiver = new MailArchiver(config.fsync());
        this.clock = clock;
        this.retention = config.keepsForever() ? null
                : new ArchiveRetention(config.archiveDir().root(), config.retention(), clock);
    }

    @Override
    public String name() {
        return name;
    }

    /** The retention, when one is set: run hourly by the server's maintenance. */
    @Override
    public java.util.List<org.decency.core.MaintenanceTask> maintenance() {
        return retention == null ? java.util.List.of() : java.util.List.of(retention.task());
    }

    @Override
    public Set<Stage> stages() {
        return Set.of(Stage.MESSAGE);
    }

    @Override
    public Outcome evaluate(Transaction tx, Evaluation run) throws IOException {
        if (!tx.hasMessage()) return Outcome.nothing();
        if (config.maxSize().exceededBy(tx)) return Outcome.score(name, 0, config.maxSize().skipped(tx));
        boolean now = config.archiveSpam() || config.drop();
        Outcome o;
        if (!now) {
            o = Outcome.score(name, 0, "archived after the decision unless unwanted");
        } else if (config.drop() && !config.archiveSpam() && run.reachedThreshold()) {
            o = Outcome.score(name, 0, "spam, not archived");
        } else if (DryRun.of(tx)) {
            o = Outcome.score(name, 0, "would archive to " + target(tx).dir());
        } else {
            o = Outcome.score(name, 0, "archived as " + store(tx)).withFlag(FLAG);
        }
        return config.drop() ? o.withFinalWord(new FinalWord(Action.DISCARD, "archived and dropped")) : o;
    }

    @Override
    public void decided(Transaction tx, Verdict verdict) {
        if (config.archiveSpam() || config.drop() || !tx.hasMessage() || DryRun.of(tx)) return;
        if (config.maxSize().exceededBy(tx)) return;
        if (unwanted(verdict)) {
            log.debug("id={} module={}: not archived ({} {})", tx.id(), name, verdict.action(), verdict.total());
            return;
        }
        try {
            Path p = store(tx);
            log.debug("id={} module={}: archived as {}", tx.id(), name, p);
        } catch (IOException | RuntimeException e) {
            log.error("id={} module={}: cannot archive the mail: {}", tx.id(), name, e.toString());
        }
    }

    /** Spam, a virus, or a mail that does not go on as it is. */
    static boolean unwanted(Verdict v) {
        if (v.flags().stream().anyMatch(f -> f.startsWith("virus="))) return true;
        if (v.total() <= v.threshold()) return true;
        Action a = v.action();
        return a.refuses() || a == Action.HOLD || a == Action.DISCARD;
    }

    private Path store(Transaction tx) throws IOException {
        PathTemplate.Target t = target(tx);
        return archiver.store(tx.message(), t.dir(), t.prefix(), clock.instant());
    }

    private PathTemplate.Target target(Transaction tx) {
        return config.archiveDir().render(tx.sender(), tx.recipient(), ZonedDateTime.ofInstant(clock.instant(), ZoneId.systemDefault()));
    }
}
