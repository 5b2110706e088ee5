package org.decency.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

/**
 * A private Postfix instance on loopback, the way /work/shared/LAB.md describes it: its
 * own config directory (main.cf, and master.cf copied from /etc/postfix with smtpd on a
 * free 127.0.0.1 port and no chroot), its own queue, and a maillog file (there is no
 * syslog). Mail for the relay domains goes to {@code relayhost = [127.0.0.1]:sinkPort};
 * every recipient is checked by the policy service at {@code 127.0.0.1:policyPort}; clients
 * on 127.0.0.0/8 may use XCLIENT to present any client address.
 *
 * <p>Postfix only starts an instance whose config directory the default instance lists in
 * {@code alternate_config_directories}: {@link #start} adds this one there (keeping
 * every other value), {@link #close} takes it out again.
 */
final class PostfixInstance implements AutoCloseable {

    /** Suffix of our config directories in alternate_config_directories; entries of vanished test runs are dropped. */
    private static final String CONF_DIR_NAME = "decency-it-postfix-conf";
    /** Serializes edits of /etc/postfix/main.cf between test runs of several checkouts on one machine. */
    private static final Path POSTCONF_LOCK = Path.of("/tmp/decency-it-postconf.lock");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Where the instance sends mail and asks for policy decisions.
     *
     * @param policyPort        the Doorman (0: no policy service)
     * @param contentFilterPort the Detective (0: no content filter): wired as the seeds' master.cf
     *                          describes, with a reinjection listener on {@code reinjectPort}
     * @param milter            the Defender as a milter, as {@code smtpd_milters} names it
     *                          ({@code inet:127.0.0.1:PORT}, {@code unix:/path}; empty: none)
     * @param proxyFilterPort   the Defender as a before-queue proxy (0: none): {@code smtpd_proxy_filter}
     *                          on the public smtpd; the proxy passes accepted mail to the listener on
     *                          {@code reinjectPort}
     */
    record Settings(int sinkPort, int policyPort, List<String> relayDomains, int contentFilterPort, int reinjectPort,
                    String milter, int proxyFilterPort) {
        Settings(int sinkPort, int policyPort, List<String> relayDomains) {
            this(sinkPort, policyPort, relayDomains, 0, 0);
        }

        Settings(int sinkPort, int policyPort, List<String> relayDomains, int contentFilterPort, int reinjectPort) {
            this(sinkPort, policyPort, relayDomains, contentFilterPort, reinjectPort, "", 0);
        }

        static Settings milter(int sinkPort, List<String> relayDomains, int milterPort) {
            return new Settings(sinkPort, 0, relayDomains, 0, 0, "inet:127.0.0.1:" + milterPort, 0);
        }

        /** The Defender on a unix-domain socket (no chroot here: the path is the file system's). */
        static Settings milter(int sinkPort, List<String> relayDomains, Path milterSocket) {
            return new Settings(sinkPort, 0, relayDomains, 0, 0, "unix:" + milterSocket, 0);
        }

        static Settings proxy(int sinkPort, List<String> relayDomains, int proxyFilterPort, int reinjectPort) {
            return new Settings(sinkPort, 0, relayDomains, 0, reinjectPort, "", proxyFilterPort);
        }

        boolean hasReinjectListener() {
            return contentFilterPort != 0 || proxyFilterPort != 0;
        }
    }

    private final Path dir;
    private final Path confDir;
    private final Path maillog;
    private final int smtpPort;
    private final Thread shutdownHook;
    private boolean running;

    private PostfixInstance(Path dir, int smtpPort) {
        this.dir = dir;
        this.confDir = dir.resolve(CONF_DIR_NAME);
        this.maillog = dir.resolve("maillog");
        this.smtpPort = smtpPort;
        this.shutdownHook = new Thread(this::stopQuietly, "postfix-it-stop");
    }

    /** Writes the instance into {@code dir} (created if needed) and starts it; fails with Postfix's own words. */
    static PostfixInstance start(Path dir, Settings settings) {
        Commands.require("postfix", "postconf", "script");
        PostfixInstance p = new PostfixInstance(dir.toAbsolutePath(), freeLoopbackPort());
        p.writeConfig(settings);
        registerConfigDir(p.confDir);
        Runtime.getRuntime().addShutdownHook(p.shutdownHook); // a killed test run must not leave Postfix behind
        try {
            p.postfix("check");
            p.running = true;
            p.postfix("start");
            p.awaitListening(Duration.ofSeconds(30));
            return p;
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    int smtpPort() {
        return smtpPort;
    }

    /** The maillog so far (empty if Postfix wrote none). */
    String maillog() {
        try {
            return Files.exists(maillog) ? Files.readString(maillog) : "";
        } catch (IOException e) {
            return "(cannot read " + maillog + ": " + e.getMessage() + ")";
        }
    }

    /** The last {@code lines} lines of the maillog, for failure messages. */
    String maillogTail(int lines) {
        List<String> all = maillog().lines().toList();
        List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
        return "--- Postfix maillog " + maillog + (all.size() > lines ? " (last " + lines + " lines)" : "") + " ---\n"
                + String.join("\n", tail);
    }

    /** Stops Postfix (waiting for it, as {@code postfix stop} does) and unregisters the config directory. */
    @Override
    public synchronized void close() {
        try {
            if (running) {
                running = false;
                Commands.Result r = Commands.runOnTerminal(COMMAND_TIMEOUT,
                        Commands.path("postfix") + " -c " + Commands.shellQuote(confDir.toString()) + " stop");
                if (!r.ok()) System.err.println("postfix stop failed: " + r + "\n" + maillogTail(30));
            }
        } finally {
            unregisterConfigDir(confDir);
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // we are the shutdown hook
            }
        }
    }

    private void stopQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("stopping the test Postfix failed: " + e);
        }
    }

    private void postfix(String command) {
        Commands.Result r = Commands.runOnTerminal(COMMAND_TIMEOUT,
                Commands.path("postfix") + " -c " + Commands.shellQuote(confDir.toString()) + " " + command);
        if (!r.ok()) {
            throw new AssertionError("postfix " + command + " failed for the test instance in " + dir
                    + (isRoot() ? "" : " (it needs root: run the integration tests as root, as CI does)")
                    + ":\n" + r.output() + "\n" + maillogTail(40));
        }
    }

    private void awaitListening(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        IOException last = null;
        while (Instant.now().isBefore(deadline)) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), smtpPort), 1000);
                s.setSoTimeout(5000);
                String banner = new String(s.getInputStream().readNBytes(3));
                s.getOutputStream().write("QUIT\r\n".getBytes());
                if (banner.equals("220")) return;
            } catch (IOException e) {
                last = e;
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // poll interval
        }
        throw new AssertionError("Postfix did not greet on 127.0.0.1:" + smtpPort + " within " + timeout.toSeconds() + "s"
                + (last == null ? "" : " (" + last + ")") + "\n" + maillogTail(40));
    }

    // ---- configuration ----

    private void writeConfig(Settings s) {
        try {
            Files.createDirectories(confDir);
            Path queue = Files.createDirectories(dir.resolve("queue"));
            Path data = Files.createDirectories(dir.resolve("data"));
            // Postfix's daemons run as user postfix and must reach the queue below our temp dir.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            UserPrincipal postfixUser = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postfix");
            Files.setOwner(data, postfixUser);
            Files.writeString(confDir.resolve("main.cf"), mainCf(s, queue, data));
            Files.writeString(confDir.resolve("master.cf"), masterCf(Files.readString(Path.of("/etc/postfix/master.cf")), smtpPort,
                    s.proxyFilterPort()) + (s.hasReinjectListener() ? contentFilterServices(s.reinjectPort()) : ""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Postfix test instance into " + dir, e);
        }
    }

    private String mainCf(Settings s, Path queue, Path data) {
        return String.join("\n",
                "# Private Postfix instance of Decency's integration test (see PostfixInstance.java)",
                "compatibility_level = 3.6",
                "queue_directory = " + queue,
                "data_directory = " + data,
                "maillog_file = " + maillog,
                "maillog_file_prefixes = " + dir,
                "myhostname = mx.decency-it.test",
                "mydomain = decency-it.test",
                "inet_interfaces = loopback-only",
                "inet_protocols = ipv4",
                "mynetworks = 127.0.0.0/8",
                "mydestination =",
                "local_recipient_maps =",
                "alias_maps =",
                "alias_database =",
                "relay_domains = " + String.join(", ", s.relayDomains()),
                "relayhost = [127.0.0.1]:" + s.sinkPort(),
                // The client is always 127.0.0.1 here; XCLIENT makes it look like any address.
                "smtpd_authorized_xclient_hosts = 127.0.0.0/8",
                "smtpd_recipient_restrictions = reject_unauth_destination"
                        + (s.policyPort() == 0 ? "" : ", check_policy_service inet:127.0.0.1:" + s.policyPort()),
                s.contentFilterPort() == 0 ? "" : "content_filter = decency:[127.0.0.1]:" + s.contentFilterPort(),
                s.contentFilterPort() == 0 ? "" : "receive_override_options = no_address_mappings",
                s.milter().isEmpty() ? "" : "smtpd_milters = " + s.milter(),
                s.milter().isEmpty() ? "" : "milter_protocol = 6",
                // Decency down: the client hears 4xx and tries again (the safe choice for a spam filter)
                s.milter().isEmpty() ? "" : "milter_default_action = tempfail",
                // a deferred mail is retried soon (the test flushes the queue anyway)
                "minimal_backoff_time = 5s",
                "maximal_backoff_time = 10s",
                "queue_run_delay = 5s",
                // No DNS: never ask the machine's resolver.
                "smtpd_peername_lookup = no",
                "smtp_dns_support_level = disabled",
                "smtp_host_lookup = native",
                "smtpd_tls_security_level = none",
                "smtp_tls_security_level = none",
                "");
    }

    /**
     * The copied master.cf: {@code smtp inet} listens on {@code 127.0.0.1:port}, no service
     * is chrooted (the chroot would lack our temp dir), and any other inet service is
     * commented out so the instance binds no port of the machine's own mail system.
     */
    static String masterCf(String original, int port) {
        return masterCf(original, port, 0);
    }

    /** As {@link #masterCf(String, int)}, the public smtpd handing each session to a before-queue proxy when {@code proxyPort} is set. */
    static String masterCf(String original, int port, int proxyPort) {
        StringBuilder out = new StringBuilder();
        boolean commentingOut = false;
        for (String line : original.split("\n", -1)) {
            boolean continuation = !line.isEmpty() && Character.isWhitespace(line.charAt(0));
            if (line.isBlank() || line.startsWith("#") || continuation) {
                out.append(commentingOut && continuation ? "#" + line : line).append('\n');
                continue;
            }
            String[] f = line.trim().split("\\s+");
            commentingOut = false;
            if (f.length < 8) {
                out.append(line).append('\n');
                continue;
            }
            if (f[1].equals("inet")) {
                if (f[0].equals("smtp")) {
                    f[0] = "127.0.0.1:" + port;
                    if (proxyPort != 0) {
                        f[4] = "n";
                        out.append(String.join(" ", f)).append('\n')
                                .append("  -o smtpd_proxy_filter=127.0.0.1:").append(proxyPort).append('\n');
                        continue;
                    }
                } else {
                    commentingOut = true;
                    out.append("#").append(line).append('\n');
                    continue;
                }
            }
            f[4] = "n"; // chroot
            out.append(String.join(" ", f)).append('\n');
        }
        return out.toString().stripTrailing() + "\n";
    }

    /**
     * The seeds' wiring of the Detective (conf/examples/postfix/mx-master.cf): the
     * {@code decency} transport that hands each queued mail over SMTP with XFORWARD and one
     * recipient per delivery, and a reinjection smtpd without any filter.
     */
    static String contentFilterServices(int reinjectPort) {
        return String.join("\n",
                "# --- Decency's Detective (content_filter = decency:[127.0.0.1]:PORT) ---",
                "decency unix - - n - 4 smtp",
                "  -o smtp_send_xforward_command=yes",
                "  -o disable_dns_lookups=yes",
                "  -o max_use=20",
                "  -o disable_mime_output_conversion=yes",
                "  -o smtp_destination_recipient_limit=1",
                "127.0.0.1:" + reinjectPort + " inet n - n - 4 smtpd",
                "  -o content_filter=",
                "  -o smtpd_proxy_filter=",
                "  -o smtpd_milters=",
                "  -o receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_milters",
                "  -o smtpd_client_restrictions=",
                "  -o smtpd_helo_restrictions=",
                "  -o smtpd_sender_restrictions=",
                "  -o smtpd_relay_restrictions=permit_mynetworks,reject",
                "  -o smtpd_recipient_restrictions=permit_mynetworks,reject",
                "  -o mynetworks=127.0.0.0/8",
                "  -o smtpd_authorized_xforward_hosts=127.0.0.0/8",
                "");
    }

    private static final String OFF = "#decency-off# ";

    /** Takes the reinjection listener away (as if it were down) or brings it back, with {@code postfix reload}. */
    void reinjectListener(boolean on, int reinjectPort) {
        try {
            Path master = confDir.resolve("master.cf");
            List<String> out = new ArrayList<>();
            boolean inService = false;
            for (String line : Files.readAllLines(master)) {
                String bare = line.startsWith(OFF) ? line.substring(OFF.length()) : line;
                if (bare.startsWith("127.0.0.1:" + reinjectPort + " ")) inService = true;
                else if (!bare.startsWith(" ") && !bare.startsWith("\t")) inService = false;
                out.add(inService ? (on ? bare : OFF + bare) : line);
            }
            Files.write(master, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        postfix("reload");
    }

    /** Asks the instance to try its deferred mail now ({@code postqueue -f}). */
    void flushQueue() {
        Commands.Result r = Commands.run(COMMAND_TIMEOUT, Commands.path("postqueue"), "-c", confDir.toString(), "-f");
        if (!r.ok()) throw new AssertionError("postqueue -f failed: " + r + "\n" + maillogTail(30));
    }

    // ---- alternate_config_directories of the default instance ----

    private static void registerConfigDir(Path confDir) {
        editAlternateConfigDirectories(dirs -> {
            List<String> out = new ArrayList<>(dirs);
            if (!out.contains(confDir.toString())) out.add(confDir.toString());
            return out;
        });
    }

    private static void unregisterConfigDir(Path confDir) {
        editAlternateConfigDirectories(dirs -> dirs.stream().filter(d -> !d.equals(confDir.toString())).toList());
    }

    /**
     * Applies {@code edit} to the default instance's alternate_config_directories, keeping
     * the other values, and also drops entries of earlier test runs whose directory is gone.
     */
    private static synchronized void editAlternateConfigDirectories(UnaryOperator<List<String>> edit) {
        try (FileChannel ch = FileChannel.open(POSTCONF_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            Commands.Result get = Commands.run(COMMAND_TIMEOUT, Commands.path("postconf"), "-h", "alternate_config_directories");
            if (!get.ok()) throw new AssertionError("cannot read alternate_config_directories: " + get);
            List<String> before = Arrays.stream(get.output().strip().split("[\\s,]+")).filter(v -> !v.isEmpty()).toList();
            List<String> after = edit.apply(before.stream()
                    .filter(v -> !(v.endsWith("/" + CONF_DIR_NAME) && !Files.isDirectory(Path.of(v))))
                    .toList());
            if (after.equals(before)) return;
            Commands.Result set = Commands.run(COMMAND_TIMEOUT, Commands.path("postconf"), "-e",
                    "alternate_config_directories = " + String.join(", ", after));
            if (!set.ok()) {
                throw new AssertionError("cannot set alternate_config_directories in /etc/postfix/main.cf"
                        + (isRoot() ? "" : " (needs root)") + ": " + set);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + POSTCONF_LOCK, e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
