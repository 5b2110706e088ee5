package org.decency.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.decency.cli.DoormanRunner;
import org.decency.cli.RunningServer;
import org.decency.it.Swaks.Mail;
import org.decency.it.Swaks.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Doorman behind a real Postfix: mail sent with swaks to a private Postfix instance,
 * which asks the Doorman (started in-process) at RCPT time and relays accepted mail to
 * an SMTP sink. Each test uses its own client, sender and recipient, so the tests do not
 * depend on each other or on their order.
 *
 * <p>Needs postfix and swaks installed and root (to start Postfix); fails, never skips,
 * without them. A failure shows the end of Postfix's maillog.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DoormanThroughPostfixIT {

    private static final Duration GREYLIST_DELAY = Duration.ofSeconds(2);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    private static final String CBL_TEXT = "Blacklisted by the integration test";
    private static final String GREYLIST_TEXT = "Greylisted by the integration test";
    private static final String THROTTLE_TEXT = "Throttled by the integration test";

    /** Kept when a test fails, with the Postfix config, queue and maillog inside. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    static SmtpSink sink;
    static RunningServer doorman;
    static PostfixInstance postfix;

    @RegisterExtension
    static final TestExecutionExceptionHandler SHOW_MAILLOG = MaillogOnFailure.of(() -> postfix, 60);

    @BeforeAll
    static void startMailSystem() throws IOException, InterruptedException {
        Commands.require("postfix", "postconf", "swaks", "script");
        // Postfix's daemons (user postfix) must reach the queue below the temp dir.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        sink = SmtpSink.start();
        doorman = DoormanRunner.start(writeDoormanConfig());
        postfix = PostfixInstance.start(dir.resolve("postfix"), new PostfixInstance.Settings(
                sink.port(), doorman.port(), List.of("it.example", "quota.example")));
    }

    /**
     * CWL, CBL, Greylist and Throttle, each configured inline. The throttle's recipient
     * domain skips greylisting, so every mail of its sender reaches the Throttle.
     * The throttle counts in windows aligned to the epoch; one day makes a window edge
     * during the test's second unlikely.
     */
    private static Path writeDoormanConfig() throws IOException {
        return Files.writeString(dir.resolve("doorman.yml"), """
                server: {host: 127.0.0.1, port: 0, instances: 2}
                database: {path: decency.db}
                modules:
                  - CWL: {ips: ["198.51.100.0/24"]}
                  - CBL: {ips: ["192.0.2.66"], reject_message: "%s"}
                  - Greylist: {delay: %ds, retry_window: 1h, reject_message: "%s, retry in %%s"}
                  - Throttle:
                      limits: {sender_address: ["3/1d"]}
                      default_reject_message: "%s (%%maximum%% mails in %%interval%% seconds)"
                exclusions: {modules: {Greylist: {to_domain: [quota.example]}}}
                """.formatted(CBL_TEXT, GREYLIST_DELAY.toSeconds(), GREYLIST_TEXT, THROTTLE_TEXT));
    }

    @AfterAll
    static void stopMailSystem() {
        Stopping.inOrder(postfix, doorman, sink);
    }

    @Test
    void a_blacklisted_client_is_rejected_at_RCPT_with_the_configured_text() {
        Session s = send(new Mail("192.0.2.66", "listed.example.net", "someone@sender.example", "bob@it.example"));

        assertThat(s.rcptReply()).as("RCPT reply\n%s", s).startsWith("554 5.7.1 ").contains(CBL_TEXT);
        assertThat(s.endOfDataReply()).as("no message data after a reject\n%s", s).isEmpty();
    }

    @Test
    void a_new_client_is_greylisted_and_its_retry_after_the_delay_is_delivered_with_the_Decency_header() throws Exception {
        Mail mail = new Mail("192.0.2.10", "new.example.net", "first-contact@sender.example", "carol@it.example");

        Session first = send(mail);
        Instant firstAnswered = Instant.now();
        assertThat(first.rcptReply()).as("first attempt\n%s", first).startsWith("450 4.7.1 ").contains(GREYLIST_TEXT);

        Thread.sleep(Duration.between(Instant.now(), firstAnswered.plus(GREYLIST_DELAY).plusMillis(100)));
        Session retry = send(mail);
        assertThat(retry.rcptReply()).as("retry after %s\n%s", GREYLIST_DELAY, retry).startsWith("250 ");
        assertThat(retry.endOfDataReply()).as("retry's end of data\n%s", retry).startsWith("250 ");

        SmtpSink.Message delivered = deliveredFrom(mail.from(), 1).getFirst();
        assertThat(delivered.recipients()).containsExactly(mail.to());
        assertThat(delivered.header("X-Decency-Instance")).as("headers of the delivered mail:\n%s", delivered.data())
                .hasValueSatisfying(h -> assertThat(h)
                        .matches("[0-9a-z]+\\|unsigned\\|-?[0-9.]+\\|\\d+\\|[^|]*\\|.*")
                        .contains("Module: Greylist"));
    }

    @Test
    void a_whitelisted_client_passes_greylisting_at_once() throws Exception {
        Mail mail = new Mail("198.51.100.7", "friend.example.net", "friend@sender.example", "dave@it.example");

        Session s = send(mail);

        assertThat(s.rcptReply()).as("RCPT reply\n%s", s).startsWith("250 ");
        assertThat(s.endOfDataReply()).as("end of data\n%s", s).startsWith("250 ");
        assertThat(deliveredFrom(mail.from(), 1).getFirst().recipients()).containsExactly(mail.to());
    }

    @Test
    void a_sender_over_its_limit_is_deferred_with_the_throttle_text() throws Exception {
        Mail mail = new Mail("203.0.113.9", "busy.example.net", "busy@sender.example", "inbox@quota.example");

        for (int i = 1; i <= 3; i++) {
            Session s = send(mail);
            assertThat(s.rcptReply()).as("mail %d of 3 allowed\n%s", i, s).startsWith("250 ");
            assertThat(s.endOfDataReply()).as("mail %d end of data\n%s", i, s).startsWith("250 ");
        }
        Session fourth = send(mail);

        assertThat(fourth.rcptReply()).as("4th mail\n%s", fourth)
                .startsWith("450 4.7.1 ").contains(THROTTLE_TEXT + " (3 mails in 86400 seconds)");
        assertThat(deliveredFrom(mail.from(), 3)).hasSize(3);
    }

    private static Session send(Mail mail) {
        return Swaks.send(postfix.smtpPort(), mail);
    }

    /** Waits for {@code count} mails from {@code sender} at the sink; fails if they do not come in time. */
    private static List<SmtpSink.Message> deliveredFrom(String sender, int count) throws InterruptedException {
        List<SmtpSink.Message> got = sink.awaitFrom(sender, count, DELIVERY_TIMEOUT);
        assertThat(got).as("mails from %s that reached the sink within %ss (all received: %s)",
                sender, DELIVERY_TIMEOUT.toSeconds(), sink.received()).hasSize(count);
        return got;
    }
}
