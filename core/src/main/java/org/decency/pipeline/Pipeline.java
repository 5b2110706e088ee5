package org.decency.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.decency.config.Durations;
import org.decency.core.Action;
import org.decency.core.Cidr;
import org.decency.core.Evaluation;
import org.decency.core.FinalWord;
import org.decency.core.IpAddress;
import org.decency.core.MailAddress;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configured checks over a transaction, in order, and turns their scores and
 * final words into a {@link Verdict}. A check's final word ends the run; so does a
 * total at or below the threshold (REJECT). A check that throws or times out is
 * logged and counts 0, the run goes on. Mail from localhost and from {@code ignore_ips}
 * passes unchecked unless configured otherwise.
 */
public final class Pipeline {
    /** {@link Verdict#decidedBy()} of a run in which no check was asked. */
    public static final String UNCHECKED_LOCAL = "localhost";
    public static final String UNCHECKED_IGNORED = "ignore_ips";

    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private final List<Module> modules;
    private final PipelineSettings settings;
    private final Exclusions exclusions;
    private final CustomScoring customScoring;
    private final PipelineObserver observer;
    private final ExecutorService blockingExecutor;
    private final boolean storeRemote;

    /** @param stats the statistics recorder, or null when statistics are off */
    public Pipeline(List<Module> modules, PipelineSettings settings, Exclusions exclusions,
                    CustomScoring customScoring, StatsRecorder stats, ExecutorService blockingExecutor) {
        this(modules, settings, exclusions, customScoring, stats == null ? PipelineObserver.NONE : stats, blockingExecutor, false);
    }

    private Pipeline(List<Module> modules, PipelineSettings settings, Exclusions exclusions,
                     CustomScoring customScoring, PipelineObserver observer, ExecutorService blockingExecutor, boolean storeRemote) {
        this.modules = List.copyOf(modules);
        this.settings = settings;
        this.exclusions = exclusions;
        this.customScoring = customScoring;
        this.observer = observer;
        this.blockingExecutor = blockingExecutor;
        this.storeRemote = storeRemote;
    }

    /** The same pipeline, also heard by {@code another} (metrics), after the observers it has. */
    public Pipeline observedBy(PipelineObserver another) {
        return new Pipeline(modules, settings, exclusions, customScoring, PipelineObserver.both(observer, another), blockingExecutor,
                storeRemote);
    }

    /**
     * The front door tells what it finally did with the mail (see {@link FinalStates}), for
     * the statistics' {@code final_state} and the metrics' decisions.
     */
    public void finalState(String state) {
        try {
            observer.finalState(state);
        } catch (RuntimeException e) {
            log.warn("recording the final state {} failed: {}", state, e.toString());
        }
    }

    /**
     * Lets go of what the checks hold (an engine's pooled connections): every check that is
     * {@link AutoCloseable} is closed; a failure is logged, never thrown. For server shutdown.
     */
    public void closeChecks() {
        for (Module m : modules()) {
            if (!(m.check() instanceof AutoCloseable c)) continue;
            try {
                c.close();
            } catch (Exception e) {
                log.warn("module={}: closing failed: {}", m.name(), e.toString());
            }
        }
    }

    public List<Module> modules() {
        return modules;
    }

    /** The same pipeline deciding at another threshold (the Detective's spam threshold). */
    public Pipeline withThreshold(double threshold) {
        PipelineSettings s = settings;
        return new Pipeline(modules, new PipelineSettings(threshold, s.forceCheckLocal(), s.ignoreIps(), s.defaultRejectMessage(),
                s.noRejectDetail(), s.noSessionIdentifier(), s.recipientDelimiter()), exclusions, customScoring, observer, blockingExecutor,
                storeRemote);
    }

    /**
     * The same pipeline on a store that answers over the network (Redis, PostgreSQL): the
     * checks that keep state there wait for it, so the whole run counts as {@link #blocking}.
     */
    public Pipeline onRemoteStore(boolean remote) {
        return new Pipeline(modules, settings, exclusions, customScoring, observer, blockingExecutor, remote);
    }

    public PipelineSettings settings() {
        return settings;
    }

    /**
     * True when some check may block, or the store is remote: a front door on an event
     * loop then runs {@link #run} elsewhere.
     */
    public boolean blocking() {
        return (storeRemote && !modules.isEmpty()) || modules.stream().anyMatch(m -> m.check().blocking());
    }

    public Verdict run(Transaction tx) {
        return run(tx, Outcome.nothing());
    }

    /**
     * Runs the checks after {@code prior}, what another server already found (the
     * Doorman's score and flags, when the Detective accepts them): it counts toward the
     * threshold and shows in the verdict like any check's outcome.
     */
    public Verdict run(Transaction tx, Outcome prior) {
        IpAddress ip = tx.connection().ip();
        for (Cidr c : settings.ignoreIps()) {
            if (c.contains(ip)) return unchecked(UNCHECKED_IGNORED, settings.threshold());
        }
        boolean local = ip != null && ip.isLoopback();
        MailAddress rcpt = tx.recipient();
        double threshold = customScoring.threshold(rcpt, settings.threshold());
        Evaluation run = new Evaluation(threshold);
        run.add(prior, 1.0);
        List<Module> asked = new ArrayList<>(modules.size());
        Verdict verdict = null;
        for (Module m : modules) {
            if (!m.check().stages().contains(tx.stage())) continue;
            if (local && !forceLocal(m)) continue;
            if (exclusions.excludes(m.name(), tx)) continue;
            asked.add(m);
            long t0 = System.nanoTime();
            Outcome o = evaluate(m, tx, run);
            // A check that found nothing still shows in the log line and header as NAME=0.
            if (o.scores().isEmpty()) o = o.withScores(List.of(new Score(m.name(), 0, "")));
            double weight = customScoring.weight(m.name(), rcpt);
            run.add(o, weight);
            observer.checked(m.name(), o.total() * weight, o.finalWord() == null ? null : o.finalWord().action(), System.nanoTime() - t0);
            if (o.finalWord() != null) {
                verdict = finalVerdict(tx, run, o.finalWord(), m.name());
                break;
            }
            if (run.reachedThreshold()) {
                verdict = thresholdReject(tx, run);
                break;
            }
        }
        if (verdict == null) {
            verdict = asked.isEmpty() && local
                    ? unchecked(UNCHECKED_LOCAL, threshold)
                    : new Verdict(Action.DUNNO, "", run.total(), threshold, run.scores(), run.flags(), "", run.edits());
        }
        for (Module m : asked) {
            try {
                m.check().decided(tx, verdict);
            } catch (RuntimeException e) {
                log.warn("id={} module={} failed after the decision: {}", tx.id(), m.name(), e.toString());
            }
        }
        observer.decided(asked, verdict);
        return verdict;
    }

    private boolean forceLocal(Module m) {
        Boolean own = m.options().forceCheckLocal();
        return own != null ? own : settings.forceCheckLocal();
    }

    private static Verdict unchecked(String why, double threshold) {
        return new Verdict(Action.DUNNO, "", 0, threshold, List.of(), java.util.Set.of(), why);
    }

    private Outcome evaluate(Module m, Transaction tx, Evaluation run) {
        String key = m.cache() == null ? null : m.check().cacheKey(tx);
        if (key != null) {
            Outcome kept = m.cache().get(key);
            if (kept != null) return kept;
        }
        Outcome o = ask(m, tx, run);
        if (key != null) m.cache().put(key, o);
        return o;
    }

    private Outcome ask(Module m, Transaction tx, Evaluation run) {
        try {
            if (!m.check().blocking() || blockingExecutor == null) return orNothing(m.check().evaluate(tx, run));
            Future<Outcome> f = blockingExecutor.submit(() -> m.check().evaluate(tx, run));
            try {
                return orNothing(f.get(m.options().timeout().toMillis(), TimeUnit.MILLISECONDS));
            } catch (TimeoutException e) {
                f.cancel(true);
                String why = "timeout after " + Durations.format(m.options().timeout());
                log.warn("id={} module={} timed out after {}", tx.id(), m.name(), Durations.format(m.options().timeout()));
                observer.failed(m.name(), why);
                return failed(m, why);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.score(m.name(), 0, "interrupted").asTemporary();
        } catch (Exception e) {
            log.warn("id={} module={} failed: {}", tx.id(), m.name(), e.toString());
            String why = "error: " + e.getClass().getSimpleName();
            observer.failed(m.name(), why);
            return failed(m, why);
        }
    }

    /** The module's {@code on_failure} where given, else the check's own choice. */
    private static Outcome failed(Module m, String why) {
        OnFailure choice = m.options().onFailure();
        return choice != null ? choice.outcome(m.name(), why) : m.check().failed(why);
    }

    private static Outcome orNothing(Outcome o) {
        return o == null ? Outcome.nothing() : o;
    }

    private Verdict finalVerdict(Transaction tx, Evaluation run, FinalWord word, String module) {
        String text = word.text();
        if (word.action().refuses()) {
            if (text.isEmpty() || (settings.noRejectDetail() && word.action() == Action.REJECT)) {
                text = settings.defaultRejectMessage();
            }
            text = withIdentifier(text, tx);
        }
        return new Verdict(word.action(), text, run.total(), run.threshold(), run.scores(), run.flags(), module, run.edits());
    }

    private Verdict thresholdReject(Transaction tx, Evaluation run) {
        String text = settings.noRejectDetail() || run.messages().isEmpty()
                ? settings.defaultRejectMessage()
                : String.join(" / ", run.messages());
        return new Verdict(Action.REJECT, withIdentifier(text, tx), run.total(), run.threshold(), run.scores(),
                run.flags(), "", run.edits());
    }

    private String withIdentifier(String text, Transaction tx) {
        return settings.noSessionIdentifier() ? text : text + " [" + tx.id() + "]";
    }
}
