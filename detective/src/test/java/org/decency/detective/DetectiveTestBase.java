package org.decency.detective;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;
import org.decency.pipeline.Pipeline;
import org.decency.pipeline.PipelineBuilder;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.decency.testkit.SmtpClient;

/**
 * Starts a Detective from a detective.yml written by the test, with {@link TestCheck}
 * modules (Alpha, Beta, Gamma) and a recording {@link NextHop} as its reinjection
 * target. In the YAML, {@code ${HOP}} is the next hop's port and {@code ${CLOSED}} a port
 * nobody listens on; {@code server:}, {@code reinject:} and {@code modules:} get defaults
 * when the test gives none.
 */
abstract class DetectiveTestBase {
    static final String DEFAULT_SERVER =
            "server: {host: 127.0.0.1, port: 0, instances: 8, max_size: 1m, max_recipients: 5, timeout: 30s}\n";

    @TempDir
    Path dir;

    final TestCheck.Journal journal = new TestCheck.Journal();
    final List<AutoCloseable> closing = new ArrayList<>();
    final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    NextHop hop;
    Detective detective;
    Path config;

    @BeforeEach
    void startNextHop() {
        hop = new NextHop(dir.resolve("hop")).start();
        closing.add(hop);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : closing.reversed()) c.close();
        executor.shutdownNow();
    }

    Detective start(String yaml) {
        StringBuilder b = new StringBuilder();
        if (!yaml.matches("(?s)(.*\n)?server:.*")) b.append(DEFAULT_SERVER);
        if (!yaml.matches("(?s)(.*\n)?reinject:.*")) b.append("reinject: {host: 127.0.0.1, port: ${HOP}, timeout: 10s}\n");
        if (!yaml.matches("(?s)(.*\n)?modules:.*")) b.append("modules:\n  - Alpha: {}\n");
        if (!yaml.matches("(?s)(.*\n)?spool_dir:.*")) b.append("spool_dir: spool\n");
        b.append("notification_from: \"Postmaster <postmaster@example.org>\"\n");
        b.append(yaml);
        String text = b.toString().replace("${HOP}", Integer.toString(hop.port())).replace("${CLOSED}", Integer.toString(closedPort()));
        config = write("detective.yml", text);
        ConfigNode root = ConfigLoader.load(config);
        DetectiveSettings settings = DetectiveSettings.read(root);
        CheckEnvironment env = new CheckEnvironment(new InMemoryStore(Clock.systemUTC()), Clock.systemUTC(), dir, "detective",
                List.of(), List.of());
        PipelineBuilder builder = new PipelineBuilder();
        for (String name : List.of("Alpha", "Beta", "Gamma")) builder.register(new TestCheck(name, journal));
        Pipeline pipeline = builder.build(root, env, executor).pipeline();
        root.finish();
        // as DetectiveRunner does: the pipeline stops early at the spam threshold
        SpamPolicy spam = settings.spam();
        pipeline = pipeline.withThreshold(spam.behavior() == SpamPolicy.Behavior.SCORING ? spam.threshold() : Double.NEGATIVE_INFINITY);
        detective = new Detective(settings, pipeline, MailHandler.ScoreImport.NONE);
        try {
            detective.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        closing.add(detective);
        return detective;
    }

    Path write(String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            return Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port that was free a moment ago: connecting to it is refused. */
    static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    SmtpClient client() {
        SmtpClient c = SmtpClient.ehlo(detective.port());
        closing.add(c);
        return c;
    }

    /** One mail through the Detective: EHLO, MAIL, RCPT..., DATA; the reply to the data (or the failing step). */
    SmtpClient.Reply send(String mail, String from, String... to) {
        try (SmtpClient c = SmtpClient.ehlo(detective.port())) {
            SmtpClient.Reply r = c.mail(from, List.of(to), mail);
            c.cmd("QUIT");
            return r;
        }
    }

    SmtpClient.Reply send(String mail) {
        return send(mail, "sender@example.net", "user@example.org");
    }

    static String mail(String subject, String body) {
        return "From: Sender <sender@example.net>\r\nTo: <user@example.org>\r\nSubject: " + subject
                + "\r\nMessage-ID: <m1@example.net>\r\n\r\n" + body;
    }

    /** The files in a spool folder (incoming, processing, quarantine, failed). */
    List<Path> spoolFiles(String folder) {
        Path d = detective.spool().root().resolve(folder);
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> spoolNames(String folder) {
        return spoolFiles(folder).stream().map(p -> p.getFileName().toString()).toList();
    }

    /** No mail is being received or handled, and none was given up on. */
    void assertSpoolIdle() {
        Wait.until(() -> spoolFiles("incoming").isEmpty() && spoolFiles("processing").isEmpty(),
                "incoming/ and processing/ to be empty: " + spoolNames("incoming") + " " + spoolNames("processing"));
        assertThat(spoolFiles("failed")).as("failed/").isEmpty();
    }

    /** Nothing left anywhere in the spool: every mail was delivered, refused or deliberately dropped. */
    void assertSpoolEmpty() {
        assertSpoolIdle();
        assertThat(spoolFiles("quarantine")).as("quarantine/").isEmpty();
    }
}
