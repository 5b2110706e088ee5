package org.decency.testkit;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL for one test: {@code initdb} into {@code dir/data} (trust
 * authentication, superuser {@code postgres}), then the server in the foreground on
 * 127.0.0.1 with its socket in the data directory, durability switched off for speed.
 * As root, both run as the {@code postgres} user (PostgreSQL refuses root). {@link #close}
 * is a fast shutdown ({@code pg_ctl stop -m fast}): connections are cut, as in an outage;
 * {@link #start(Path, int)} on the same directory and port brings the same data back.
 */
public final class Postgres extends LocalDaemon {
    public static final String USER = "postgres";

    private final Path data;

    private Postgres(List<String> command, Path dir, Path data, int port) {
        super("postgres", command, dir.resolve("postgres.out"), port, Duration.ofSeconds(60), Postgres::acceptsLogin);
        this.data = data;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> pgCtlStop(data, "immediate")));
    }

    /** Creates a cluster in {@code dir} and starts it on a free loopback port. */
    public static Postgres start(Path dir) {
        return start(dir, freeLoopbackPort());
    }

    /** Starts the cluster in {@code dir} (creating it when new) on {@code port}. */
    public static Postgres start(Path dir, int port) {
        Path data = dir.toAbsolutePath().resolve("data");
        try {
            Files.createDirectories(dir);
            if (!Files.exists(data.resolve("PG_VERSION"))) initdb(dir, data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare postgres in " + dir, e);
        }
        List<String> cmd = asPostgres(List.of(bin("postgres").toString(), "-D", data.toString(), "-p", Integer.toString(port),
                "-k", data.toString(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "max_connections=200"));
        return new Postgres(cmd, dir, data, port);
    }

    public String host() {
        return "127.0.0.1";
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** Runs SQL through psql as the superuser (e.g. {@code CREATE DATABASE decency}). */
    public String psql(String database, String sql) {
        return run(asPostgres(List.of(bin("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port()), "-U", USER,
                "-d", database, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql)), "psql");
    }

    @Override
    protected void requestStop(Process process) {
        if (!pgCtlStop(data, "fast")) process.destroy();
    }

    private static boolean pgCtlStop(Path data, String mode) {
        if (!Files.exists(data.resolve("postmaster.pid"))) return true;
        try {
            Process p = new ProcessBuilder(asPostgres(List.of(bin("pg_ctl").toString(), "-D", data.toString(), "-m", mode, "-w", "-t", "20", "stop")))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void initdb(Path dir, Path data) throws IOException {
        if (isRoot()) {
            // the postgres user must reach the folder: open the temp folders on the way for traversal, hand it ours
            Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
            for (Path p = dir.toAbsolutePath(); p != null && !p.equals(tmp) && !p.equals(p.getRoot()); p = p.getParent()) {
                p.toFile().setExecutable(true, false);
            }
            UserPrincipal pg = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
            Files.createDirectories(data);
            Files.setOwner(data, pg);
            Files.setOwner(dir.toAbsolutePath(), pg);
        }
        run(asPostgres(List.of(bin("initdb").toString(), "-D", data.toString(), "-U", USER, "-A", "trust", "-E", "UTF8",
                "--locale=C", "--no-sync")), "initdb");
    }

    private static String run(List<String> cmd, String what) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(what + " did not finish: " + out);
            }
            if (p.exitValue() != 0) throw new IllegalStateException(what + " failed (" + p.exitValue() + "): " + out);
            return out.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(what + " cannot be run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asPostgres(List<String> cmd) {
        if (!isRoot()) return cmd;
        List<String> out = new ArrayList<>(List.of(executable("runuser"), "-u", USER, "--"));
        out.addAll(cmd);
        return out;
    }

    /** The newest installed PostgreSQL's program (Debian: /usr/lib/postgresql/<version>/bin). */
    static Path bin(String program) {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                var best = versions.filter(v -> Files.isExecutable(v.resolve("bin").resolve(program)))
                        .max(Comparator.comparingInt(v -> {
                            try {
                                return Integer.parseInt(v.getFileName().toString().replaceAll("\\..*", ""));
                            } catch (NumberFormatException e) {
                                return 0;
                            }
                        }));
                if (best.isPresent()) return best.get().resolve("bin").resolve(program);
            } catch (IOException e) {
                // fall through to PATH
            }
        }
        return Path.of(executable(program));
    }

    /** Ready when a login as postgres (trust) gets AuthenticationOk, not "the database system is starting up". */
    private static boolean acceptsLogin(Socket s) {
        try {
            byte[] params = ("user\0" + USER + "\0database\0postgres\0\0").getBytes(StandardCharsets.US_ASCII);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(8 + params.length);
            out.writeInt(196608); // protocol 3.0
            out.write(params);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            int type = in.readUnsignedByte();
            boolean ok = type == 'R' && in.readInt() == 8 && in.readInt() == 0;
            out.write('X');
            out.writeInt(4);
            out.flush();
            return ok;
        } catch (IOException e) {
            return false;
        }
    }
}
