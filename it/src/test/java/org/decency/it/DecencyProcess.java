package org.decency.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Decency server as its own operating-system process ({@code java -cp <this JVM's test
 * class path> org.decency.cli.Decency <args>}), as an administrator runs one: what it
 * prints goes to a file for the failure report, {@link #close} stops it as a service
 * manager would (SIGTERM, then SIGKILL after ten seconds).
 */
final class DecencyProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path output;
    private final int port;

    private DecencyProcess(String name, Process process, Path output, int port) {
        this.name = name;
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /**
     * Starts {@code decency <args>} in {@code dir}; it is expected to listen on 127.0.0.1:{@code port}
     * (see {@link #awaitListening}). The JVM is kept small: two CPUs are shared by the whole test.
     */
    static DecencyProcess start(String name, Path dir, int port, String... args) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // failsafe may hand the test JVM a manifest-only jar; its real class path is in surefire.test.class.path
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-cp", classPath,
                "org.decency.cli.Decency"));
        command.addAll(List.of(args));
        Path output = dir.resolve(name + ".out");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
            return new DecencyProcess(name, p, output, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", args), e);
        }
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Waits until the server accepts connections on its port; fails with its output when it exits or takes too long. */
    DecencyProcess awaitListening(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before listening on port " + port
                        + ":\n" + output());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return this;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError(name + " did not listen on 127.0.0.1:" + port + " within " + timeout.toSeconds() + "s:\n" + output());
    }

    /** Everything the process printed so far. */
    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + output + ": " + e.getMessage() + ")";
        }
    }

    /** The last {@code lines} lines it printed, under a title naming the process, for a failure report. */
    String outputTail(int lines) {
        List<String> all = output().lines().toList();
        List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
        return "---- " + name + " (pid " + process.pid() + (process.isAlive() ? "" : ", exited " + process.exitValue())
                + "), last " + tail.size() + " of " + all.size() + " lines of " + output + " ----\n" + String.join("\n", tail);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
