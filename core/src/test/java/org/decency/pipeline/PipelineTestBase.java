package org.decency.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.ManualClock;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Builds pipelines of {@link Scripted} checks (Alpha, Beta, Gamma, Delta) from a YAML config. */
abstract class PipelineTestBase {
    @TempDir
    Path dir;

    /** A Wednesday. */
    final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T10:17:30Z"));
    final InMemoryStore store = new InMemoryStore(clock);
    final Scripted.Journal journal = new Scripted.Journal();
    final ExecutorService executor = Executors.newCachedThreadPool();
    Path config;

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    PipelineBuilder builder() {
        PipelineBuilder b = new PipelineBuilder();
        for (String name : List.of("Alpha", "Beta", "Gamma", "Delta")) b.register(new Scripted(name, journal));
        return b;
    }

    Path write(String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            return Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds from {@code doorman.yml} with {@code yaml} and checks that no key is left unknown. */
    PipelineBuilder.Result build(String yaml) {
        config = write("doorman.yml", yaml);
        ConfigNode root = ConfigLoader.load(config);
        CheckEnvironment env = new CheckEnvironment(store, clock, dir, "doorman", List.of(), List.of());
        PipelineBuilder.Result result = builder().build(root, env, executor);
        root.finish();
        return result;
    }

    Pipeline pipeline(String yaml) {
        return build(yaml).pipeline();
    }

    static Transaction rcpt(String ip, String from, String to) {
        return Transaction.of(Stage.RCPT, Connection.of(ip, "mail.example.net", "mail.example.net"), Envelope.of(from, to));
    }

    static Transaction rcpt(String to) {
        return rcpt("192.0.2.10", "sender@example.net", to);
    }

    static Transaction from(String ip) {
        return rcpt(ip, "sender@example.net", "user@example.org");
    }

    static Transaction at(Stage stage) {
        return Transaction.of(stage, Connection.of("192.0.2.10", "", ""), Envelope.of("sender@example.net", "user@example.org"));
    }
}
