package org.decency.checks.lists;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.Evaluation;
import org.decency.core.ManualClock;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.store.InMemoryStore;

/** A store, a clock and a config directory for one test, plus short ways to build and ask checks. */
final class ListTestSupport {
    final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T10:00:00Z"));
    final InMemoryStore store = new InMemoryStore(clock);
    final Path dir;

    ListTestSupport(Path dir) {
        this.dir = dir;
    }

    CheckEnvironment env() {
        return new CheckEnvironment(store, clock, dir, "doorman", List.of(), List.of());
    }

    Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ConfigNode yaml(String text) {
        return ConfigLoader.loadFile(write("module.yml", text), "");
    }

    CustomListCheck cwl(String yaml) {
        return (CustomListCheck) new CwlFactory().create("CWL", yaml(yaml), env());
    }

    CustomListCheck cbl(String yaml) {
        return (CustomListCheck) new CblFactory().create("CBL", yaml(yaml), env());
    }

    static Outcome ask(CustomListCheck check, String ip, String sender, String recipient) throws Exception {
        Envelope envelope = recipient == null ? Envelope.of(sender) : Envelope.of(sender, recipient);
        return check.evaluate(Transaction.of(recipient == null ? Stage.MAIL : Stage.RCPT,
                Connection.of(ip, "client.example", "client.example"), envelope), new Evaluation(-100));
    }
}
