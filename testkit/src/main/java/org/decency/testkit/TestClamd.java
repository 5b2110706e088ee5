package org.decency.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real clamd for tests, on a free loopback port and a unix socket in a folder the test
 * owns, with one signature of our own instead of the official databases (nothing is
 * downloaded): {@link #SIGNATURE} matches the {@link #EICAR} test string, so a stream
 * holding it answers {@code stream: Decency.Test.EICAR.UNOFFICIAL FOUND}. clamd decodes
 * MIME itself: the string in a base64 attachment is found too.
 *
 * <p>{@link #start} waits until clamd answers PING with PONG; {@link #close} stops it.
 * Extra {@code clamd.conf} lines (e.g. {@code StreamMaxLength 64K}, {@code IdleTimeout 2})
 * go after the defaults. Without clamd on the machine, start fails and says what to
 * install: the engine tests never mock what can be run.
 */
public final class TestClamd implements AutoCloseable {
    /** The EICAR anti-virus test file, assembled so that this source file is not one. */
    public static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    /** The name of our signature for {@link #EICAR}. */
    public static final String SIGNATURE = "Decency.Test.EICAR";
    /** What clamd reports for it: a signature outside the official databases is UNOFFICIAL. */
    public static final String FOUND_NAME = SIGNATURE + ".UNOFFICIAL";

    private static final long START_TIMEOUT_MS = 120_000;

    private final Path dir;
    private final int port;
    private final Path socket;
    private final Path log;
    private final Path output;
    private final List<String> conf;
    private Process process;

    private TestClamd(Path dir, int port, List<String> extra) {
        this.dir = dir;
        this.port = port;
        this.socket = dir.resolve("clamd.sock");
        this.log = dir.resolve("clamd.log");
        this.output = dir.resolve("clamd.out");
        List<String> c = new ArrayList<>(List.of(
                "DatabaseDirectory " + dir.resolve("db"),
                "TCPSocket " + port,
                "TCPAddr 127.0.0.1",
                "LocalSocket " + socket,
                "Foreground yes",
                "LogFile " + log,
                "LogTime yes",
                "PidFile " + dir.resolve("clamd.pid"),
                "MaxThreads 12"));
        c.addAll(extra);
        this.conf = List.copyOf(c);
    }

    /**
     * Starts clamd with its files in {@code dir} (a test's {@code @TempDir}; its path must be
     * short enough for a unix socket, about 100 characters) and waits until it answers.
     */
    public static TestClamd start(Path dir, String... extraConf) {
        TestClamd c = new TestClamd(dir.toAbsolutePath(), freePort(), List.of(extraConf));
        c.launch();
        return c;
    }

    /** The clamd binary: {@code -Ddecency.clamd=PATH}, else /usr/sbin/clamd or clamd on the PATH. */
    static Path binary() {
        String given = System.getProperty("decency.clamd", "");
        if (!given.isEmpty()) return Path.of(given);
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/sbin/clamd"), Path.of("/usr/local/sbin/clamd")));
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) if (!d.isEmpty()) candidates.add(Path.of(d, "clamd"));
        for (Path p : candidates) if (Files.isExecutable(p)) return p;
        throw new IllegalStateException("clamd is not installed: the ClamAV tests run a real clamd"
                + " (Debian: apt-get install clamav-daemon clamdscan; or -Ddecency.clamd=/path/to/clamd)");
    }

    private void launch() {
        Path clamd = binary();
        try {
            Path db = Files.createDirectories(dir.resolve("db"));
            String hex = HexFormat.of().formatHex(EICAR.getBytes(StandardCharsets.US_ASCII));
            Files.writeString(db.resolve("decency-test.ndb"), SIGNATURE + ":0:*:" + hex + "\n");
            Path confFile = Files.write(dir.resolve("clamd.conf"), conf);
            Files.deleteIfExists(socket);
            process = new ProcessBuilder(clamd.toString(), "-c", confFile.toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            Process started = process;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly)); // a test JVM that dies leaves no clamd behind
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + clamd, e);
        }
        long end = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < end) {
            if (!process.isAlive()) throw new IllegalStateException("clamd exited with " + process.exitValue() + ":\n" + diagnostics());
            if (pong()) return;
            sleep(100);
        }
        close();
        throw new IllegalStateException("clamd did not answer PING within " + START_TIMEOUT_MS / 1000 + "s:\n" + diagnostics());
    }

    private boolean pong() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write("zPING\0".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readNBytes(5), StandardCharsets.US_ASCII).equals("PONG\0");
        } catch (IOException e) {
            return false;
        }
    }

    /** clamd's output and log, for a failure message. */
    public String diagnostics() {
        return read(output) + read(log);
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? "--- " + p.getFileName() + "\n" + Files.readString(p) : "";
        } catch (IOException e) {
            return "--- " + p + ": " + e + "\n";
        }
    }

    public int port() {
        return port;
    }

    /** The unix socket ({@code LocalSocket}). */
    public Path socket() {
        return socket;
    }

    /** clamd's {@code LogFile}. */
    public Path log() {
        return log;
    }

    public Path dir() {
        return dir;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** clamd's process id. */
    public long pid() {
        return process.pid();
    }

    /** Freezes clamd (SIGSTOP): connections are still accepted by the kernel, but nothing answers. */
    public void suspend() {
        signal("-STOP");
    }

    /** Lets a {@link #suspend suspended} clamd go on (SIGCONT). */
    public void resume() {
        signal("-CONT");
    }

    private void signal(String sig) {
        try {
            Process kill = new ProcessBuilder("kill", sig, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) throw new IllegalStateException("kill " + sig + " " + process.pid() + " failed");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops clamd (SIGTERM, then SIGKILL after 10 seconds) and waits until it is gone. */
    @Override
    public void close() {
        if (process == null) return;
        if (process.isAlive()) {
            try {
                resume(); // a suspended clamd would not hear SIGTERM
            } catch (RuntimeException ignored) {
                // it is killed below anyway
            }
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for clamd", e);
        }
    }
}
