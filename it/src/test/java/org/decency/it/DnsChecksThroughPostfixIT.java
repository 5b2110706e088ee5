package org.decency.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.decency.cli.DoormanRunner;
import org.decency.cli.RunningServer;
import org.decency.it.Swaks.Mail;
import org.decency.it.Swaks.Session;
import org.decency.testkit.TestDnsServer;
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
 * The Doorman's DNS checks behind a real Postfix: a loopback DNS server (the test's
 * zones, nothing else) answers the DNSBL and SPF questions of a Doorman started
 * in-process, which a private Postfix asks at RCPT time. Needs postfix, swaks and root.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DnsChecksThroughPostfixIT {
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    static TestDnsServer dns;
    static SmtpSink sink;
    static RunningServer doorman;
    static PostfixInstance postfix;

    @RegisterExtension
    static final TestExecutionExceptionHandler SHOW_MAILLOG = MaillogOnFailure.of(() -> postfix, 60, () -> "DNS questions: " + dns.asked());

    @BeforeAll
    static void startMailSystem() throws IOException, InterruptedException {
        Commands.require("postfix", "postconf", "swaks", "script");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        dns = TestDnsServer.start()
                // 192.0.2.72 is listed on the test block list
                .add("72.2.0.192.bl.it.test", "A", "127.0.0.2")
                .add("72.2.0.192.bl.it.test", "TXT", "listed for the integration test")
                // senders whose SPF records allow only 198.51.100.0/24
                .add("fail.spf.it.test", "TXT", "v=spf1 ip4:198.51.100.0/24 -all")
                .add("soft.spf.it.test", "TXT", "v=spf1 ip4:198.51.100.0/24 ~all")
                .add("pass.spf.it.test", "TXT", "v=spf1 ip4:192.0.2.0/24 -all");
        sink = SmtpSink.start();
        doorman = DoormanRunner.start(Files.writeString(dir.resolve("doorman.yml"), """
                server: {host: 127.0.0.1, port: 0, instances: 2}
                database: {path: decency.db}
                dns: {servers: ["%s"], timeout: 1s, retries: 0}
                modules:
                  - DNSBL:
                      harsh: 1
                      use_txt: 1
                      blacklist: [{host: bl.it.test, weight: -100}]
                  - SPF: {reject_on_fail: 1, weight_softfail: -10, weight_pass: 10}
                """.formatted(dns.address())));
        postfix = PostfixInstance.start(dir.resolve("postfix"), new PostfixInstance.Settings(
                sink.port(), doorman.port(), List.of("dns.example")));
    }

    @AfterAll
    static void stopMailSystem() {
        Stopping.inOrder(postfix, doorman, sink, dns);
    }

    @Test
    void a_client_on_the_test_block_list_is_rejected_with_the_lists_name_and_reason() {
        Session s = send(new Mail("192.0.2.72", "listed.example.net", "someone@pass.spf.it.test", "bob@dns.example"));

        assertThat(s.rcptReply()).as("RCPT reply\n%s", s).startsWith("554 5.7.1 ")
                .contains("Blacklisted on: bl.it.test").contains("listed for the integration test");
    }

    @Test
    void an_spf_fail_is_rejected_with_the_spf_explanation() {
        Session s = send(new Mail("192.0.2.73", "other.example.net", "forger@fail.spf.it.test", "carol@dns.example"));

        assertThat(s.rcptReply()).as("RCPT reply\n%s", s).startsWith("554 5.7.1 ")
                .contains("SPF MAIL FROM check failed");
    }

    @Test
    void an_spf_softfail_is_scored_and_the_mail_delivered_with_the_score_in_its_header() throws Exception {
        Mail mail = new Mail("192.0.2.74", "other.example.net", "someone@soft.spf.it.test", "dave@dns.example");

        Session s = send(mail);

        assertThat(s.rcptReply()).as("RCPT reply\n%s", s).startsWith("250 ");
        assertThat(s.endOfDataReply()).as("end of data\n%s", s).startsWith("250 ");
        SmtpSink.Message delivered = sink.awaitFrom(mail.from(), 1, DELIVERY_TIMEOUT).getFirst();
        assertThat(delivered.header("X-Decency-Instance")).as("headers:\n%s", delivered.data())
                .hasValueSatisfying(h -> assertThat(h).contains("|-10|").contains("Module: SPF; Score: -10; Result: softfail"));
    }

    @Test
    void a_client_the_spf_record_allows_passes_with_a_bonus() throws Exception {
        Mail mail = new Mail("192.0.2.75", "good.example.net", "someone@pass.spf.it.test", "erin@dns.example");

        Session s = send(mail);

        assertThat(s.rcptReply()).as("RCPT reply\n%s", s).startsWith("250 ");
        SmtpSink.Message delivered = sink.awaitFrom(mail.from(), 1, DELIVERY_TIMEOUT).getFirst();
        assertThat(delivered.header("X-Decency-Instance")).hasValueSatisfying(h -> assertThat(h)
                .contains("|10|").contains("spf_pass").contains("Module: SPF; Score: 10; Result: pass"));
    }

    private static Session send(Mail mail) {
        return Swaks.send(postfix.smtpPort(), mail);
    }
}
