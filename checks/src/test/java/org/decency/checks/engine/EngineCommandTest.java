package org.decency.checks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.decency.config.ConfigException;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command runner with real programs: /bin/cat, /bin/sh, /bin/echo, /usr/bin/stat. */
class EngineCommandTest {
    static final Duration T = Duration.ofSeconds(10);
    static final byte[] MAIL = "Subject: hi\r\nFrom: a@example.net\r\n\r\nbody line\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    static EngineCommand.MailInput mail(byte[] bytes) {
        return () -> new java.io.ByteArrayInputStream(bytes);
    }

    static EngineCommand cmd(String template) {
        return EngineCommand.parse("cmd_check", template);
    }

    @Test
    void splitsTheTemplateAsAShellWouldButRunsNoShell() {
        assertThat(EngineCommand.split("  /bin/x  -a 'b c'  \"d \\\"e\\\" $f\" g\\ h --p=%user%  "))
                .containsExactly("/bin/x", "-a", "b c", "d \"e\" $f", "g h", "--p=%user%");
        assertThat(EngineCommand.split("x ''")).containsExactly("x", "");
        assertThatThrownBy(() -> cmd("/bin/echo 'open")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not closed");
        assertThatThrownBy(() -> cmd("   ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMailGoesToStandardInputWithoutFile() throws IOException {
        EngineCommand.Result r = cmd("/bin/cat").run(mail(MAIL), "", T);
        assertThat(r.exit()).isZero();
        assertThat(r.stdout()).isEqualTo(MAIL);
        assertThat(r.truncated()).isFalse();
        assertThat(r.headerBlock()).isEqualTo("Subject: hi\nFrom: a@example.net\n");
    }

    @Test
    void withFileTheMailIsCopiedToAPrivateTemporaryFileThatIsRemovedAfterwards() throws IOException {
        EngineCommand c = cmd("/bin/sh -c 'stat -c %a \"$1\"; cat \"$1\"; echo; echo \"$1\"' sh %file%");
        assertThat(c.usesFile()).isTrue();
        EngineCommand.Result r = c.run(mail(MAIL), "", T);
        List<String> lines = r.out().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("600");
        assertThat(r.out()).contains("body line");
        Path tmp = Path.of(lines.getLast());
        assertThat(tmp.getFileName().toString()).startsWith("decency-sh-");
        assertThat(tmp).doesNotExist();
    }

    @Test
    void aMailThatIsAFileAlreadyIsPassedByItsNameOrStreamed() throws IOException {
        Path f = Files.write(dir.resolve("m.eml"), MAIL);
        assertThat(cmd("/bin/echo %file%").run(f, "", T).out().strip()).isEqualTo(f.toAbsolutePath().toString());
        assertThat(cmd("/bin/cat").run(f, "", T).stdout()).isEqualTo(MAIL);
    }

    @Test
    void theUserIsOneArgumentAndNothingInItReachesAShell() throws IOException {
        EngineCommand echo = cmd("/bin/echo --fileprefix=%user% $HOME;");
        assertThat(echo.run(mail(MAIL), "/var/lib/crm114/bob@example.org/", T).out())
                .isEqualTo("--fileprefix=/var/lib/crm114/bob@example.org/ $HOME;\n");
        for (String bad : List.of("a; rm -rf /", "$(id)", "`id`", "a b", "-rf", "--help", "../etc", "/var/lib/../../etc", "a\nb",
                "bob\"@x", "b'ob", "\u00e9l\u00e8ve", "")) {
            assertThatThrownBy(() -> echo.run(mail(MAIL), bad, T)).as(bad).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("cmd_check needs %user%: ");
        }
        assertThat(EngineCommand.checkUser("bob+tag@example.org")).isNull();
        assertThat(EngineCommand.checkUser("a=b:c_d.e")).isNull();
        // a user is not looked at when the command does not use it
        assertThat(cmd("/bin/echo ok").run(mail(MAIL), "a; b", T).out()).isEqualTo("ok\n");
    }

    @Test
    void theExitStatusAndStandardErrorAreKept() throws IOException {
        EngineCommand.Result r = cmd("/bin/sh -c 'echo out; echo \"  \" >&2; echo oops >&2; echo more >&2; exit 3'").run(mail(MAIL), "", T);
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("out\n");
        assertThat(r.firstError()).isEqualTo("oops");
        assertThat(r.describe()).isEqualTo("exited with 3: oops");
    }

    @Test
    void aProgramThatRunsTooLongIsKilledWithEverythingItStarted() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        EngineCommand c = cmd("/bin/sh -c 'sleep 30 & echo $! > \"$0\"; wait' " + pidFile);
        long start = System.nanoTime();
        assertThatThrownBy(() -> c.run(mail(MAIL), "", Duration.ofMillis(500)))
                .isInstanceOf(EngineCommand.TimedOut.class).hasMessage("sh took longer than 0.5s; killed");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        long child = Long.parseLong(Files.readString(pidFile).strip());
        ProcessHandle h = ProcessHandle.of(child).orElse(null);
        if (h != null) h.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS); // killed: it ends (is reaped) at once
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void sleepingTenSecondsWithATimeoutOfOneIsKilledAfterOne() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> cmd("/bin/sh -c 'sleep 10'").run(mail(MAIL), "", Duration.ofSeconds(1)))
                .isInstanceOf(EngineCommand.TimedOut.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(4));
    }

    @Test
    void anInterruptedRunKillsTheProgram() throws Exception {
        Path pidFile = dir.resolve("sh.pid");
        EngineCommand c = cmd("/bin/sh -c 'echo $$ > \"$0\"; sleep 30' " + pidFile);
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                c.run(mail(MAIL), "", Duration.ofSeconds(60));
            } catch (IOException expected) {
                // interrupted
            }
        });
        while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) Thread.sleep(20);
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        t.interrupt();
        t.join(5000);
        assertThat(t.isAlive()).isFalse();
        ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void standardOutputIsCutAtTheCapButReadToTheEnd() throws IOException {
        EngineCommand.Result r = cmd("/bin/sh -c 'head -c 3000000 /dev/zero; echo done >&2'").run(mail(MAIL), "", T);
        assertThat(r.exit()).isZero();
        assertThat(r.stdout()).hasSize(EngineCommand.MAX_OUTPUT);
        assertThat(r.truncated()).isTrue();
        assertThat(r.stderr()).isEqualTo("done\n");
    }

    @Test
    void aLargeMailIsStreamedAndAProgramThatStopsReadingIsNoError() throws IOException {
        long size = 50L << 20;
        EngineCommand.MailInput big = () -> new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 'x' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) return -1;
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                left -= n;
                return n;
            }
        };
        assertThat(cmd("/usr/bin/wc -c").run(big, "", T).out().strip()).isEqualTo(Long.toString(size));
        EngineCommand.Result r = cmd("/usr/bin/head -c 10").run(big, "", T);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("xxxxxxxxxx");
    }

    @Test
    void aMailThatCannotBeReadIsAnError() {
        EngineCommand.MailInput broken = () -> new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 100) throw new IOException("disk gone");
                return 'x';
            }
        };
        assertThatThrownBy(() -> cmd("/bin/cat").run(broken, "", T)).isInstanceOf(IOException.class)
                .hasMessage("cannot read the mail: disk gone");
    }

    @Test
    void aProgramThatCannotBeStartedIsAnError() {
        assertThatThrownBy(() -> cmd("/nonexistent/engine -v").run(mail(MAIL), "", T)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot run /nonexistent/engine: ");
    }

    @Test
    void headerFieldsAreFoundUnfoldedInTheFirstBlockOnly() throws IOException {
        EngineCommand.Result r = cmd("/bin/printf 'A: 1\\nx-engine-status: SPAM ( -3.2 )  \\n\\tfolded\\nX-Engine-Status: second\\n\\nX-Late: no\\n'")
                .run(mail(MAIL), "", T);
        assertThat(r.field("X-Engine-Status")).contains("x-engine-status: SPAM ( -3.2 ) folded");
        assertThat(r.fields("x-engine-status")).containsExactly("x-engine-status: SPAM ( -3.2 ) folded", "X-Engine-Status: second");
        assertThat(r.field("X-Late")).isEmpty();
    }

    @Test
    void theConfigNamesAProgramThatExists() throws IOException {
        ConfigNode n = ConfigLoader.loadFile(Files.writeString(dir.resolve("m.yml"), """
                cmd_check: cat -n
                cmd_learn_spam: ""
                cmd_learn_ham: /nonexistent/learn %file%
                """), "");
        assertThat(EngineCommand.read(n, "cmd_check", "/x").orElseThrow().programName()).isEqualTo("cat");
        assertThat(EngineCommand.read(n, "cmd_learn_spam", "/bin/cat")).isEmpty();
        assertThat(EngineCommand.read(n, "cmd_unlearn_spam", null)).isEmpty();
        assertThat(EngineCommand.read(n, "cmd_unlearn_ham", "/bin/cat %file%").orElseThrow().usesFile()).isTrue();
        assertThatThrownBy(() -> EngineCommand.read(n, "cmd_learn_ham", null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("m.yml:3: cmd_learn_ham: no program /nonexistent/learn");
        assertThatThrownBy(() -> EngineCommand.read(n, "cmd_other", "/usr/bin/no-such-engine -v")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("no program /usr/bin/no-such-engine (the default cmd_other: /usr/bin/no-such-engine -v)");
    }
}
