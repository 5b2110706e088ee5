package org.decency.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds and runs the external programs of the integration tests (Postfix, swaks). */
final class Commands {

    /** Postfix installs its commands in /usr/sbin, which a normal user's PATH often lacks. */
    private static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private Commands() {}

    /** What a command printed (stdout and stderr together) and how it exited. */
    record Result(List<String> command, int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " -> exit " + exitCode + "\n" + output;
        }
    }

    /** The absolute path of {@code name} on PATH or in the sbin directories. */
    static Optional<Path> find(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) dirs.addAll(List.of(path.split(File.pathSeparator)));
        dirs.addAll(EXTRA_DIRS);
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name))
                .filter(Files::isExecutable).findFirst();
    }

    /**
     * Fails (never skips) when a program the integration tests need is missing: CI installs
     * them, so a missing one is a broken setup, not a reason to pass.
     */
    static void require(String... names) {
        List<String> missing = new ArrayList<>();
        for (String n : names) if (find(n).isEmpty()) missing.add(n);
        if (!missing.isEmpty()) {
            throw new AssertionError("the integration tests need " + String.join(", ", missing)
                    + " (packages postfix and swaks). Install them, e.g. on Debian/Ubuntu:\n"
                    + "    DEBIAN_FRONTEND=noninteractive apt-get install -y postfix swaks\n"
                    + "or run .ci/run, which installs them and runs the tests.");
        }
    }

    static String path(String name) {
        return find(name).orElseThrow(() -> new AssertionError(name + " not found")).toString();
    }

    /** Runs a command to its end (killing it after {@code timeout}); output goes through a file, so no pipe can block. */
    static Result run(Duration timeout, String... command) {
        Path out = null;
        try {
            out = Files.createTempFile("decency-it-cmd", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                return new Result(List.of(command), -1, Files.readString(out, StandardCharsets.UTF_8)
                        + "\n[killed after " + timeout.toSeconds() + "s]");
            }
            return new Result(List.of(command), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a stray temp file is harmless
                }
            }
        }
    }

    /**
     * Runs a shell command line under {@code script}, i.e. on a pseudo terminal: Postfix
     * prints its fatal start-up errors only to a terminal (or the maillog).
     */
    static Result runOnTerminal(Duration timeout, String commandLine) {
        Result r = run(timeout, path("script"), "-qec", commandLine, "/dev/null");
        return new Result(r.command(), r.exitCode(), r.output().replace("\r", ""));
    }

    /** {@code s} quoted for sh. */
    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
