package org.decency.checks.dkim;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real DKIM tools the interoperability tests run: Debian's opendkim-tools and
 * python3-dkim. A missing tool fails the test with the package to install (.ci/run
 * installs both).
 */
final class ExternalTools {
    /** Debian's own python, which python3-dkim installs into (a python3 first on PATH may be another). */
    static final Path PYTHON = Path.of("/usr/bin/python3");

    record Run(int exit, String out, String err) {}

    private ExternalTools() {}

    /** The tool called {@code name} on PATH or in /usr/sbin, /usr/bin; the test fails when it is missing. */
    static Path require(String name, String debianPackage) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) return p;
        }
        return fail(name + " is missing: install the Debian package " + debianPackage
                + " (apt-get install " + debianPackage + "; .ci/run installs it)");
    }

    private static volatile boolean dkimpyFound;

    /** Fails unless Debian's python3 can import dkim (python3-dkim) and dns (python3-dnspython). */
    static Path requireDkimpy() {
        require("dkimsign", "python3-dkim");
        if (dkimpyFound) return PYTHON;
        if (!Files.isExecutable(PYTHON) || run(List.of(PYTHON.toString(), "-c", "import dkim, dns.resolver"), new byte[0]).exit() != 0) {
            fail("/usr/bin/python3 cannot import dkim and dns.resolver: install the Debian package python3-dkim"
                    + " (apt-get install python3-dkim; .ci/run installs it)");
        }
        dkimpyFound = true;
        return PYTHON;
    }

    static Run run(List<String> command, byte[] stdin) {
        return run(command, stdin, null);
    }

    static Run run(List<String> command, byte[] stdin, Path dir) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            if (dir != null) pb.directory(dir.toFile());
            Path err = Files.createTempFile("dkim-tool", ".err");
            pb.redirectError(err.toFile());
            Process p = pb.start();
            Thread feeder = Thread.ofVirtual().start(() -> {
                try (var in = p.getOutputStream()) {
                    in.write(stdin);
                } catch (IOException e) {
                    // the tool did not read all of it
                }
            });
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(command + " did not end within 60 s");
            }
            feeder.join();
            String errText = Files.readString(err);
            Files.delete(err);
            return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), errText);
        } catch (IOException e) {
            return fail("cannot run " + command + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    /** Runs and fails the test unless the tool exits 0; its standard output. */
    static String ok(List<String> command, byte[] stdin, Path dir) {
        Run r = run(command, stdin, dir);
        if (r.exit() != 0) fail(command + " exited " + r.exit() + ": " + r.err());
        return r.out();
    }
}
