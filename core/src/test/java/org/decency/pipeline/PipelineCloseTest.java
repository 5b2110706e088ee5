package org.decency.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.junit.jupiter.api.Test;

/** At shutdown the checks that hold something (an engine's connections) are closed, each once, one failure stopping none. */
class PipelineCloseTest {
    final List<String> closed = new ArrayList<>();

    class Holding implements Check, AutoCloseable {
        final String name;
        final boolean breaks;

        Holding(String name, boolean breaks) {
            this.name = name;
            this.breaks = breaks;
        }

        @Override public String name() { return name; }
        @Override public Set<Stage> stages() { return Set.of(Stage.RCPT); }
        @Override public Outcome evaluate(Transaction tx, Evaluation run) { return Outcome.nothing(); }

        @Override
        public void close() {
            closed.add(name);
            if (breaks) throw new IllegalStateException("broken on purpose");
        }
    }

    @Test
    void closesEveryCheckThatHoldsSomething() {
        Check plain = new Check() {
            @Override public String name() { return "Plain"; }
            @Override public Set<Stage> stages() { return Set.of(Stage.RCPT); }
            @Override public Outcome evaluate(Transaction tx, Evaluation run) { return Outcome.nothing(); }
        };
        List<Module> modules = new ArrayList<>();
        for (Check c : List.of(new Holding("A", true), plain, new Holding("B", false))) {
            modules.add(new Module(c, new ModuleOptions(c.name(), false, ModuleOptions.DEFAULT_TIMEOUT, null), null));
        }
        Pipeline p = new Pipeline(modules, PipelineSettings.defaults(), Exclusions.none(), CustomScoring.none(), null, null);
        p.closeChecks();
        assertThat(closed).containsExactly("A", "B");
    }
}
