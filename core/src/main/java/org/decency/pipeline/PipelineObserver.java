package org.decency.pipeline;

import java.util.List;
import org.decency.core.Action;
import org.decency.core.Verdict;

/**
 * Hears what a {@link Pipeline} does, for statistics and metrics: each check asked, each
 * check that failed, each verdict, and what the front door finally did with the mail.
 * Called on the deciding thread: an observer must be quick and must not throw.
 */
public interface PipelineObserver {

    /** Hears nothing. */
    PipelineObserver NONE = new PipelineObserver() {};

    /**
     * A check was asked.
     *
     * @param score     its partial score after the module's weight
     * @param finalWord the action of its final word, or null when it gave none
     * @param nanos     how long it took, the result cache included
     */
    default void checked(String module, double score, Action finalWord, long nanos) {}

    /** A check threw or timed out ({@code why}: {@code timeout after 2s}, {@code error: StoreUnavailableException}). */
    default void failed(String module, String why) {}

    /** The run's verdict, and the checks that were asked in it. */
    default void decided(List<Module> asked, Verdict verdict) {}

    /**
     * What the front door did with the mail in the end (see {@link FinalStates}): the
     * Doorman's and the milter's {@code accept}, {@code pass}, {@code reject}, ..., the
     * Detective's {@code deliver/good}, {@code tag/spam}, ...
     */
    default void finalState(String state) {}

    /** Both observers, {@code a} first. */
    static PipelineObserver both(PipelineObserver a, PipelineObserver b) {
        if (a == null || a == NONE) return b == null ? NONE : b;
        if (b == null || b == NONE) return a;
        return new PipelineObserver() {
            @Override
            public void checked(String module, double score, Action finalWord, long nanos) {
                a.checked(module, score, finalWord, nanos);
                b.checked(module, score, finalWord, nanos);
            }

            @Override
            public void failed(String module, String why) {
                a.failed(module, why);
                b.failed(module, why);
            }

            @Override
            public void decided(List<Module> asked, Verdict verdict) {
                a.decided(asked, verdict);
                b.decided(asked, verdict);
            }

            @Override
            public void finalState(String state) {
                a.finalState(state);
                b.finalState(state);
            }
        };
    }
}
