package org.decency.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real spamd on loopback with local tests only ({@code -L}: no network lookups), its own
 * rules directory and Bayes home below {@code dir}. SpamAssassin's own test string
 * {@link #GTUBE} scores 1000.
 */
public final class Spamd extends LocalDaemon {
    public static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    private final Path pidFile;

    private Spamd(List<String> command, Path dir, int port) {
        super("spamd", command, dir.resolve("spamd.out"), port, Duration.ofSeconds(120), Spamd::pong);
        this.pidFile = dir.resolve("spamd.pid");
    }

    /**
     * Starts spamd in {@code dir} on a free loopback port.
     *
     * @param localRules SpamAssassin rules added to the shipped ones (e.g. {@code body DECENCY_TEST /marker/} and
     *                   {@code score DECENCY_TEST 10}); empty for none
     */
    public static Spamd start(Path dir, String localRules, String... extraArgs) {
        try {
            Files.createDirectories(dir.resolve("site"));
            Files.createDirectories(dir.resolve("home"));
            // spamd reads its config as nobody: the folders down to ours must let it through
            Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
            for (Path p = dir.toAbsolutePath().getParent(); p != null && p.startsWith(tmp) && !p.equals(tmp); p = p.getParent()) {
                p.toFile().setExecutable(true, false);
            }
            for (Path p : List.of(dir, dir.resolve("site"), dir.resolve("home"))) {
                p.toFile().setReadable(true, false);
                p.toFile().setExecutable(true, false);
                p.toFile().setWritable(true, false); // spamd's children run as nobody
            }
            // our site config replaces /etc/spamassassin: its .pre files load the plugins spamd needs
            try (var pre = Files.newDirectoryStream(Path.of("/etc/spamassassin"), "*.pre")) {
                for (Path p : pre) Files.copy(p, dir.resolve("site").resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            // Bayes off unless the rules say use_bayes 1; its database then lives in our home folder
            Files.writeString(dir.resolve("site/local.cf"), "use_bayes 0\nbayes_path " + dir.resolve("home/bayes") + "\n" + localRules + "\n");
            int port = freeLoopbackPort();
            List<String> cmd = new ArrayList<>(List.of(executable("spamd"), "-L", "--listen=127.0.0.1:" + port,
                    "-u", "nobody", "--nouser-config", "--siteconfigpath=" + dir.resolve("site"),
                    "--pidfile=" + dir.resolve("spamd.pid"), "-s", dir.resolve("spamd.log").toString(),
                    "-H", dir.resolve("home").toString(), "--max-children=4"));
            cmd.addAll(List.of(extraArgs));
            return new Spamd(cmd, dir, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare spamd in " + dir, e);
        }
    }

    @Override
    protected void afterStop() {
        // spamd's children outlive a killed parent for a moment; the pid file names the parent only
        try {
            if (Files.exists(pidFile)) new ProcessBuilder("kill", Files.readString(pidFile).strip()).start().waitFor();
        } catch (IOException | InterruptedException e) {
            // gone already
        }
    }

    private static boolean pong(Socket s) {
        try {
            s.getOutputStream().write("PING SPAMC/1.5\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).contains("PONG");
        } catch (IOException e) {
            return false;
        }
    }
}
