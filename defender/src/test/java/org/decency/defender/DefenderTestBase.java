package org.decency.defender;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;
import org.decency.pipeline.Pipeline;
import org.decency.pipeline.PipelineBuilder;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts a Defender from a defender.yml written by the test, with the real checks and
 * {@link ScriptedCheck}s (Alpha, Beta, Gamma), on a free port; drives it with the
 * independent milter client {@code miltertest} (Debian's package miltertest) running the
 * scripts in {@code src/test/resources/miltertest/}, or with {@link MtaClient}.
 */
abstract class DefenderTestBase {
    static final String SERVER = "server: {host: 127.0.0.1, port: 0, instances: 4, max_connections: 20}\n";

    @TempDir
    Path dir;

    final ScriptedCheck.Journal journal = new ScriptedCheck.Journal();
    final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    final List<String> warnings = new ArrayList<>();
    Defender defender;
    DefenderSettings settings;

    @AfterEach
    void stopDefender() {
        if (defender != null) defender.close();
        executor.shutdownNow();
    }

    /** A Defender from this YAML ({@code server:} on a free port unless given). */
    Defender start(String yaml) {
        String text = (yaml.matches("(?s)(.*\n)?server:.*") ? "" : SERVER) + yaml;
        Path file = write("defender.yml", text);
        ConfigNode root = ConfigLoader.load(file);
        ConfigNode doorman = root.child("doorman").map(n -> n.inheriting(root, DefenderSettings.SHARED)).orElse(null);
        ConfigNode detective = root.child("detective").map(n -> n.inheriting(root, DefenderSettings.SHARED)).orElse(null);
        settings = DefenderSettings.read(root, doorman, detective, warnings);
        Clock clock = Clock.systemUTC();
        InMemoryStore store = new InMemoryStore(clock);
        PipelineBuilder builder = new PipelineBuilder();
        for (String name : List.of("Alpha", "Beta", "Gamma")) builder.register(new ScriptedCheck(name, journal));
        Pipeline d = Defender.noChecks();
        Pipeline c = Defender.noChecks();
        if (doorman != null) {
            d = builder.build(doorman, new CheckEnvironment(store, clock, dir, "doorman", List.of(), List.of()), executor).pipeline();
            doorman.finish();
        }
        if (detective != null) {
            c = builder.build(detective, new CheckEnvironment(store, clock, dir, "detective", List.of(), List.of()), executor).pipeline();
            detective.finish();
        }
        root.finish();
        defender = new Defender(settings, d, c);
        try {
            defender.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return defender;
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

    /** The mails being checked right now (none once every message is done). */
    List<Path> spoolFiles() {
        Path d = settings.spoolDir().resolve("defender");
        if (!Files.isDirectory(d)) return List.of();
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    MtaClient mta() {
        return settings.socket() != null ? new MtaClient(settings.socket()) : new MtaClient(defender.port());
    }

    /** The Defender's socket as libmilter names one: {@code inet:port@host} or {@code unix:/path}. */
    String milterSocket() {
        return settings.socket() != null ? "unix:" + settings.socket() : "inet:" + defender.port() + "@127.0.0.1";
    }

    /** What miltertest printed and how it ended. */
    record Run(int exit, String output) {}

    /** Runs a miltertest script against the Defender; {@code socket} and {@code dir} (the scripts' folder) are defined in it. */
    Run miltertest(String script, String... defines) {
        Path scripts = scriptsDir();
        List<String> cmd = new ArrayList<>(List.of("miltertest", "-s", scripts.resolve(script).toString(),
                "-D", "socket=" + milterSocket(), "-D", "dir=" + scripts));
        for (String d : defines) {
            cmd.add("-D");
            cmd.add(d);
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("miltertest " + script + " did not end within 60s:\n" + new String(out, StandardCharsets.UTF_8));
            }
            return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run miltertest (Debian: apt-get install miltertest): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs a script and expects it to pass; returns its output. */
    String passes(String script, String... defines) {
        Run r = miltertest(script, defines);
        assertThat(r.exit()).as("miltertest %s said:\n%s", script, r.output()).isZero();
        return r.output();
    }

    static Path scriptsDir() {
        try {
            return Path.of(DefenderTestBase.class.getResource("/miltertest/common.lua").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits (a little) until the Defender has let go of every mail file: after the MTA's last reply comes the clean-up. */
    void assertSpoolEmpty() {
        long until = System.currentTimeMillis() + 5_000;
        while (!spoolFiles().isEmpty() && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertThat(spoolFiles()).as("mail files left in the spool").isEmpty();
    }
}
