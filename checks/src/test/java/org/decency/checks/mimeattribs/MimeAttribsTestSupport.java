package org.decency.checks.mimeattribs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;
import org.decency.core.Evaluation;
import org.decency.core.ManualClock;
import org.decency.core.Outcome;
import org.decency.core.Transaction;
import org.decency.store.InMemoryStore;

/** Builds a MimeAttribs check from YAML as the pipeline does, and runs it. */
final class MimeAttribsTestSupport {
    private MimeAttribsTestSupport() {}

    static ConfigNode yaml(Path dir, String text) {
        try {
            Path f = Files.writeString(dir.resolve("mime-attribs-" + System.nanoTime() + ".yml"), text);
            return ConfigLoader.loadFile(f, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MimeAttribsCheck check(Path dir, String name, String yaml) {
        ManualClock clock = new ManualClock(Instant.parse("2025-03-01T12:00:00Z"));
        CheckEnvironment env = new CheckEnvironment(new InMemoryStore(clock), clock, dir, "detective", List.of(), List.of());
        return (MimeAttribsCheck) new MimeAttribsFactory().create(name, yaml(dir, yaml.isEmpty() ? "{}\n" : yaml), env);
    }

    static Outcome run(MimeAttribsCheck check, Transaction tx) {
        return check.evaluate(tx, new Evaluation(-50));
    }
}
