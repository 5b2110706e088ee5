package org.decency.checks.engine;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.decency.config.ConfigNode;

/**
 * One command of a command-line engine (the seeds' Cmd role: {@code cmd_check}, {@code
 * cmd_learn_spam}, {@code cmd_unlearn_spam}, {@code cmd_learn_ham}, {@code
 * cmd_unlearn_ham}), and the running of it.
 *
 * <p>The template is split into words as a shell would split a simple command (blanks
 * separate words; single quotes, double quotes and backslashes keep blanks in a word), but
 * no shell ever runs it: the program gets the words as its arguments, so nothing in a
 * value can become a second command, a redirection or a variable. {@code %user%} is
 * replaced by the engine's user (see {@link #checkUser}: a user with other characters than
 * letters, digits and {@code . _ @ + = : / -}, one starting with {@code -}, or with a
 * {@code ..} path step is refused), {@code %file%} by the name of a file holding the mail.
 * Without {@code %file%} the mail is streamed to the program's standard input.
 *
 * <p>The program runs at most the given time; then it and every process it started are
 * killed. Its standard output is kept up to {@link #MAX_OUTPUT} bytes (the rest is read
 * and dropped, so the program never blocks on a full pipe), its standard error up to
 * {@link #MAX_ERROR_OUTPUT}.
 */
public final class EngineCommand {
    public static final String USER = "%user%";
    public static final String FILE = "%file%";
    /** Bytes of standard output kept: more than any engine's verdict header needs. */
    public static final int MAX_OUTPUT = 64 * 1024;
    /** Bytes of standard error kept, for messages. */
    public static final int MAX_ERROR_OUTPUT = 8 * 1024;
    private static final int MAX_USER_LENGTH = 512;
    private static final File DEV_NULL = new File("/dev/null");

    private final String key;
    private final String template;
    private final List<String> words;

    private EngineCommand(String key, String template, List<String> words) {
        this.key = key;
        this.template = template;
        this.words = List.copyOf(words);
    }

    /**
     * Parses a command template.
     *
     * @param key the config key, for messages ({@code cmd_check})
     * @throws IllegalArgumentException when the template is empty or a quote is not closed
     */
    public static EngineCommand parse(String key, String template) {
        List<String> words = split(template);
        if (words.isEmpty()) throw new IllegalArgumentException("expected a command, e.g. /usr/bin/bogofilter -v");
        return new EngineCommand(key, template.strip(), words);
    }

    /** A command from words already split (e.g. {@code /bin/sh -c <script>}). */
    public static EngineCommand of(String key, List<String> words) {
        if (words.isEmpty()) throw new IllegalArgumentException("expected a command");
        return new EngineCommand(key, String.join(" ", words), words);
    }

    /**
     * The command under {@code key}, or {@code def} when the key is absent; empty when the
     * key is set to an empty string (the module then has no such command) or there is no
     * default. The program must exist and be executable.
     */
    public static Optional<EngineCommand> read(ConfigNode module, String key, String def) {
        ConfigNode n = module.child(key).orElse(null);
        String text = n == null ? def : n.isNull() ? "" : n.text();
        if (text == null || text.isBlank()) return Optional.empty();
        EngineCommand c;
        try {
            c = parse(key, text);
        } catch (IllegalArgumentException e) {
            throw (n == null ? module : n).error(e.getMessage());
        }
        String problem = c.programProblem();
        if (problem != null) throw (n == null ? module : n).error(problem + (n == null ? " (the default " + key + ": " + def + ")" : ""));
        return Optional.of(c);
    }

    /** The config key this command came from. */
    public String key() {
        return key;
    }

    /** The template as configured. */
    public String template() {
        return template;
    }

    /** The program's name without its folder, e.g. {@code bogofilter}, for messages. */
    public String programName() {
        String p = words.getFirst();
        return p.substring(p.lastIndexOf('/') + 1);
    }

    public boolean usesUser() {
        return words.stream().anyMatch(w -> w.contains(USER));
    }

    public boolean usesFile() {
        return words.stream().anyMatch(w -> w.contains(FILE));
    }

    /** The arguments with the placeholders replaced. */
    public List<String> arguments(String user, Path file) {
        List<String> out = new ArrayList<>(words.size());
        for (String w : words) {
            if (w.contains(USER)) w = w.replace(USER, user == null ? "" : user);
            if (w.contains(FILE)) w = w.replace(FILE, file == null ? "" : file.toString());
            out.add(w);
        }
        return out;
    }

    /**
     * Null when {@code user} may be put into a command; else why not. Letters, digits and
     * {@code . _ @ + = : / -}; not starting with {@code -} (it would be read as an option);
     * no {@code ..} step (it would lead out of a folder).
     */
    public static String checkUser(String user) {
        if (user == null || user.isEmpty()) return "no user";
        if (user.length() > MAX_USER_LENGTH) return "the user is longer than " + MAX_USER_LENGTH + " characters";
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || ".-_@+=:/".indexOf(c) >= 0;
            if (!ok) return "the user \"" + printable(user) + "\" has a character other than letters, digits and . _ @ + = : / -";
        }
        if (user.startsWith("-")) return "the user \"" + printable(user) + "\" starts with -";
        for (String step : user.split("/")) {
            if (step.equals("..")) return "the user \"" + printable(user) + "\" has a .. step";
        }
        return null;
    }

    /**
     * Runs the command on a mail.
     *
     * @param mail    opens the mail; with {@code %file%} it is copied to a temporary file
     *                (owner-only, removed afterwards), else streamed to standard input
     * @param user    the value of {@code %user%}; checked with {@link #checkUser} when used
     * @param timeout after this the program and everything it started are killed
     * @throws IOException the program could not be started, the mail not read, the user is refused,
     *                     or the time ran out ({@link TimedOut})
     */
    public Result run(MailInput mail, String user, Duration timeout) throws IOException {
        checkedUser(user);
        if (!usesFile()) return exec(arguments(user, null), mail, timeout);
        Path tmp = Files.createTempFile("decency-" + programName() + "-", ".eml",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (InputStream in = mail.open(); OutputStream out = Files.newOutputStream(tmp)) {
                in.transferTo(out);
            }
            return exec(arguments(user, tmp), null, timeout);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Runs the command on a mail that is a file already: {@code %file%} is its (absolute) name, else it is streamed. */
    public Result run(Path mail, String user, Duration timeout) throws IOException {
        checkedUser(user);
        Path abs = mail.toAbsolutePath();
        if (usesFile()) return exec(arguments(user, abs), null, timeout);
        return exec(arguments(user, null), () -> Files.newInputStream(abs), timeout);
    }

    private void checkedUser(String user) throws IOException {
        if (!usesUser()) return;
        String problem = checkUser(user);
        if (problem != null) throw new IOException(key + " needs %user%: " + problem);
    }

    private Result exec(List<String> args, MailInput stdin, Duration timeout) throws IOException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        ProcessBuilder pb = new ProcessBuilder(args);
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + args.getFirst() + ": " + reason(e), e);
        }
        Capture out = Capture.start(p.getInputStream(), MAX_OUTPUT, programName() + "-stdout");
        Capture err = Capture.start(p.getErrorStream(), MAX_ERROR_OUTPUT, programName() + "-stderr");
        Feeder feeder = stdin == null ? null : Feeder.start(stdin, p.getOutputStream(), programName() + "-stdin");
        try {
            if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                kill(p);
                throw new TimedOut(programName() + " took longer than " + format(timeout) + "; killed");
            }
            // The program is gone; its output ends with it unless something it started keeps the pipe open.
            if (!out.await(deadline) || !err.await(deadline)) {
                kill(p);
                throw new TimedOut(programName() + " left a process behind that kept its output open past " + format(timeout) + "; killed");
            }
            if (feeder != null) {
                feeder.await(deadline);
                if (feeder.readError != null) throw new IOException("cannot read the mail: " + reason(feeder.readError), feeder.readError);
            }
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(programName() + " was interrupted; killed");
        }
        return new Result(p.exitValue(), out.bytes(), out.truncated, err.text(), Duration.ofNanos(System.nanoTime() - start));
    }

    /** Kills the program and everything it started, and closes the pipes. */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        closeQuietly(p.getInputStream());
        closeQuietly(p.getErrorStream());
        closeQuietly(p.getOutputStream());
    }

    /** Null when the program can be run; else why not. */
    String programProblem() {
        String prog = words.getFirst();
        if (prog.contains("/")) {
            Path p = Path.of(prog);
            if (!Files.isRegularFile(p)) return "no program " + prog;
            if (!Files.isExecutable(p)) return prog + " is not executable";
            return null;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) continue;
                Path p = Path.of(dir, prog);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) return null;
            }
        }
        return "no program " + prog + " on the PATH";
    }

    @Override
    public String toString() {
        return key + ": " + template;
    }

    /** Splits like a shell splits a simple command: blanks, '...', "...", backslash. */
    static List<String> split(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (inWord) words.add(w.toString());
                w.setLength(0);
                inWord = false;
            } else if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) throw new IllegalArgumentException("a ' is not closed: " + s);
                w.append(s, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                inWord = true;
                int j = i + 1;
                for (; j < s.length() && s.charAt(j) != '"'; j++) {
                    char d = s.charAt(j);
                    if (d == '\\' && j + 1 < s.length() && "\"\\$`".indexOf(s.charAt(j + 1)) >= 0) d = s.charAt(++j);
                    w.append(d);
                }
                if (j >= s.length()) throw new IllegalArgumentException("a \" is not closed: " + s);
                i = j;
            } else if (c == '\\') {
                if (i + 1 >= s.length()) throw new IllegalArgumentException("a \\ ends the command: " + s);
                w.append(s.charAt(++i));
                inWord = true;
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) words.add(w.toString());
        return words;
    }

    static String reason(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (s.length() > 80) b.append("...");
        return b.toString();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    /** Opens the mail as a stream, as often as asked. */
    @FunctionalInterface
    public interface MailInput {
        InputStream open() throws IOException;
    }

    /** The program ran out of time and was killed. */
    public static final class TimedOut extends IOException {
        public TimedOut(String message) {
            super(message);
        }
    }

    /**
     * What the program did.
     *
     * @param exit      its exit status (128 + the signal when a signal ended it)
     * @param stdout    its standard output, at most {@link #MAX_OUTPUT} bytes
     * @param truncated the output was longer and was cut
     * @param stderr    its standard error, at most {@link #MAX_ERROR_OUTPUT} bytes
     */
    public record Result(int exit, byte[] stdout, boolean truncated, String stderr, Duration took) {

        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** The output up to its first empty line: the header block the seeds' engines print (or the whole output). */
        public String headerBlock() {
            StringBuilder b = new StringBuilder();
            for (String line : out().split("\r?\n", -1)) {
                if (line.isEmpty()) break;
                b.append(line).append('\n');
            }
            return b.toString();
        }

        /**
         * The first field called {@code name} (any case) in {@link #headerBlock}, unfolded,
         * as {@code Name: value} exactly as printed (trailing blanks removed); empty when none.
         */
        public Optional<String> field(String name) {
            List<String> all = fields(name);
            return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
        }

        /** Every field called {@code name} (any case) in {@link #headerBlock}, unfolded, in order. */
        public List<String> fields(String name) {
            List<String> lines = headerBlock().lines().toList();
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            List<String> found = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).toLowerCase(Locale.ROOT).startsWith(prefix)) continue;
                StringBuilder f = new StringBuilder(lines.get(i).stripTrailing());
                for (int j = i + 1; j < lines.size() && (lines.get(j).startsWith(" ") || lines.get(j).startsWith("\t")); j++) {
                    f.append(' ').append(lines.get(j).strip());
                }
                found.add(f.toString());
            }
            return found;
        }

        /** The first line of standard error that says something, shortened; empty when there is none. */
        public String firstError() {
            return stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst()
                    .map(l -> l.length() > 200 ? l.substring(0, 200) + "..." : l).orElse("");
        }

        /** {@code exited with 3: <first error line>}, for messages. */
        public String describe() {
            String e = firstError();
            return "exited with " + exit + (e.isEmpty() ? "" : ": " + e);
        }
    }

    /** Reads a stream to its end on its own thread, keeping the first {@code max} bytes. */
    private static final class Capture implements Runnable {
        private final InputStream in;
        private final int max;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile boolean truncated;

        private Capture(InputStream in, int max) {
            this.in = in;
            this.max = max;
        }

        static Capture start(InputStream in, int max, String name) {
            Capture c = new Capture(in, max);
            Thread.ofVirtual().name(name).start(c);
            return c;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    int room = max - kept.size();
                    if (n > room) truncated = true;
                    if (room > 0) kept.write(buf, 0, Math.min(n, room));
                }
            } catch (IOException ignored) {
                // the pipe was closed (the process was killed): what was read is kept
            } finally {
                done.countDown();
            }
        }

        boolean await(long deadline) throws InterruptedException {
            return done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        byte[] bytes() {
            return kept.toByteArray();
        }

        String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }
    }

    /** Streams the mail to the program's standard input on its own thread. */
    private static final class Feeder implements Runnable {
        private final MailInput mail;
        private final OutputStream out;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile IOException readError;

        private Feeder(MailInput mail, OutputStream out) {
            this.mail = mail;
            this.out = out;
        }

        static Feeder start(MailInput mail, OutputStream out, String name) {
            Feeder f = new Feeder(mail, out);
            Thread.ofVirtual().name(name).start(f);
            return f;
        }

        @Override
        public void run() {
            try {
                InputStream in;
                try {
                    in = mail.open();
                } catch (IOException e) {
                    readError = e;
                    return;
                }
                try (in) {
                    byte[] buf = new byte[65536];
                    while (true) {
                        int n;
                        try {
                            n = in.read(buf);
                        } catch (IOException e) {
                            readError = e;
                            return;
                        }
                        if (n < 0) return;
                        try {
                            out.write(buf, 0, n);
                        } catch (IOException e) {
                            return; // the program closed its input: it read what it wanted
                        }
                    }
                } catch (IOException ignored) {
                    // closing the mail
                }
            } finally {
                try {
                    out.close(); // end of input for the program
                } catch (IOException ignored) {
                    // it closed its end already
                }
                done.countDown();
            }
        }

        void await(long deadline) throws InterruptedException {
            done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }
}
