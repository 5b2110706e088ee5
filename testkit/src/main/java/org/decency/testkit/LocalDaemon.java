package org.decency.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * A real daemon (clamd, spamd) started by a test on loopback and stopped by {@link #close}.
 * Fails with the daemon's own words when it does not come up.
 */
public class LocalDaemon implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;
    private final int port;

    protected LocalDaemon(String name, List<String> command, Path log, int port, Duration startTimeout,
                          Predicate<Socket> ready) {
        this.name = name;
        this.log = log;
        this.port = port;
        try {
            this.process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException(name + " cannot be started (" + command.getFirst() + "): " + e.getMessage()
                    + "; install it (Debian: see .ci/run)", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + output());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                s.setSoTimeout(5000);
                if (ready.test(s)) return;
            } catch (IOException e) {
                // not listening yet
            }
            sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException(name + " did not answer on 127.0.0.1:" + port + " within " + startTimeout.toSeconds() + "s:\n" + output());
    }

    public int port() {
        return port;
    }

    /** What the daemon printed so far, and its log file if it keeps one beside (for failure messages). */
    public String output() {
        StringBuilder out = new StringBuilder();
        for (Path p : List.of(log, log.resolveSibling(name + ".log"))) {
            try {
                if (Files.exists(p)) out.append(Files.readString(p));
            } catch (IOException e) {
                out.append("(cannot read ").append(p).append(")\n");
            }
        }
        return out.toString();
    }

    /** Stops the daemon (as if it crashed or was shut down) and waits for it. */
    @Override
    public void close() {
        requestStop(process);
        try {
            if (!process.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(10), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        afterStop();
    }

    /** Asks the daemon to stop; by default SIGTERM. PostgreSQL overrides it (a fast shutdown through pg_ctl). */
    protected void requestStop(Process process) {
        process.destroy();
    }

    /** For daemons that fork (spamd's children): what else must go. */
    protected void afterStop() {}

    public String name() {
        return name;
    }

    public static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String executable(String name) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p.toString();
        }
        throw new IllegalStateException(name + " is not installed; .ci/run installs it (Debian: clamav-daemon, spamd, redis-server, postgresql)");
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
